#pragma once
// The host on a serial device (a USB-UART bridge wired to the firmware's board, or one end of a
// pseudo-terminal pair): 8N1, no flow control, raw, at the given baud rate.

#include <asio/serial_port.hpp>

#include "io/port.hpp"

namespace atcoap::io {

class SerialPort final : public Port {
  public:
    SerialPort(asio::io_context& context, std::string device, unsigned baud, Logger& log);
    ~SerialPort() override;

    Status<std::string> open(PortEvents& events) override;
    void write(Bytes bytes) override;
    bool drained() const override { return writer_.idle(); }
    std::size_t queued_bytes() const override { return writer_.queued_bytes(); }
    void pause_input() override { reader_.pause(); }
    void resume_input() override { reader_.resume(); }
    void close() override;
    std::string name() const override { return device_; }

  private:
    using Device = asio::serial_port;

    std::string device_;
    unsigned baud_;
    Logger& log_;
    Device serial_;
    PortEvents* events_ = nullptr;
    ReadLoop<Device> reader_;
    WriteQueue<Device> writer_;
};

}  // namespace atcoap::io
