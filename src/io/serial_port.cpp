#include "io/serial_port.hpp"

namespace atcoap::io {

SerialPort::SerialPort(asio::io_context& context, std::string device, unsigned baud, Logger& log)
    : device_(std::move(device)),
      baud_(baud),
      log_(log),
      serial_(context),
      reader_(
          serial_, [this](ByteView bytes) { events_->on_port_bytes(bytes); },
          [this](std::error_code error) {
              // A device has no end of file: zero bytes means it went away (unplugged, hung up).
              events_->on_port_end(error ? error : std::make_error_code(std::errc::io_error));
          }),
      writer_(serial_, [this](std::error_code error) {
          if (error) {
              log_.log(LogLevel::Error, "writing " + device_ + ": " + error.message());
              events_->on_port_end(error);
          } else {
              events_->on_port_drained();
          }
      }) {}

SerialPort::~SerialPort() {
    close();
}

Status<std::string> SerialPort::open(PortEvents& events) {
    events_ = &events;
    std::error_code error;
    // Asio's open already sets raw mode (no echo, no ICANON/ISIG, no CR/NL mapping, no OPOST).
    serial_.open(device_, error);
    if (!error) {
        serial_.set_option(Device::baud_rate(baud_), error);
    }
    if (!error) {
        serial_.set_option(Device::character_size(8), error);
    }
    if (!error) {
        serial_.set_option(Device::parity(Device::parity::none), error);
    }
    if (!error) {
        serial_.set_option(Device::stop_bits(Device::stop_bits::one), error);
    }
    if (!error) {
        serial_.set_option(Device::flow_control(Device::flow_control::none), error);
    }
    if (error) {
        close();
        return fail("cannot open " + device_ + " at " + std::to_string(baud_) +
                    " baud: " + error.message());
    }
    reader_.start();
    return Done{};
}

void SerialPort::write(Bytes bytes) {
    writer_.push(std::move(bytes));
}

void SerialPort::close() {
    reader_.stop();
    writer_.clear();
    std::error_code ignored;
    serial_.close(ignored);
}

}  // namespace atcoap::io
