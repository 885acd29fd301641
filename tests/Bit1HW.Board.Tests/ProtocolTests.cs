using Bit1HW.Core.Hardware;
using Xunit.Abstractions;

namespace Bit1HW.Board.Tests;

/// <summary>The protocol's framing byte for byte, on the host side and against the generated bridge.</summary>
public class ProtocolTests(ITestOutputHelper output)
{
    [Fact]
    public void Crc16_modbus_of_the_check_string_is_0x4b37_and_a_message_followed_by_its_crc_leaves_0()
    {
        byte[] check = "123456789"u8.ToArray();
        Assert.Equal(0x4B37, Crc16Modbus.Compute(check));
        Assert.Equal(0, Crc16Modbus.Compute([.. check, 0x37, 0x4B]));
    }

    [Fact]
    public void The_worked_example_of_docs_board_md_is_what_the_driver_sends()
    {
        // CRCs computed independently (a bitwise CRC-16/MODBUS in Python, poly 0xA001 reflected, init 0xFFFF).
        // INFO, SEQ 0: B1 00 01 00 00 00 then the CRC of 00 01 00 00 00, low byte first.
        Assert.Equal("B1-00-01-00-00-00-25-FC", BitConverter.ToString(Frames.Request(0, UartCommand.Info, 0, 0, [])));
        // WRITE_IMEM, SEQ 5, one word HALT (0xF0000000) at address 0.
        Assert.Equal("B1-05-10-00-00-01-00-00-00-F0-09-28", BitConverter.ToString(Frames.Request(5, UartCommand.WriteImem, 0, 1, [0x00, 0x00, 0x00, 0xF0])));
        Assert.Equal("1B-05-00-00-00-00-E8", BitConverter.ToString(Frames.ReplyFrame(5, UartStatus.Ok, [])));
    }

    public static TheoryData<string, byte, int, int, UartStatus> BadFrames => new()
    {
        // a frame with a valid CRC that the bridge must still refuse, and the status it answers with
        { "unknown command", 0x7E, 0, 0, UartStatus.UnknownCommand },
        { "a write of 0 words", (byte)UartCommand.WriteImem, 0, 0, UartStatus.BadCount },
        { "more imem words than one frame may carry", (byte)UartCommand.WriteImem, 0, 129, UartStatus.BadCount },
        { "a read of 0 words", (byte)UartCommand.ReadOmem, 0, 0, UartStatus.BadCount },
    };

    [ToolTheory("verilator")]
    [MemberData(nameof(BadFrames))]
    public void A_well_formed_frame_the_bridge_cannot_execute_gets_an_error_reply_with_its_seq(string what, byte cmd, int addr, int count, UartStatus expected)
    {
        using var line = SimulatedSerialLine.Start(TestBoard.Config, TestBoard.FastLink);
        line.Write(Frames.Request(0x42, (UartCommand)cmd, addr, count, new byte[count * 4]));
        var (reply, problem, _) = Frames.ReadReply(line, line.Clock + TimeSpan.FromMilliseconds(20), 64);
        output.WriteLine($"{what}: {reply?.Status} ({problem}) at {line.Clock.TotalMilliseconds:F3} ms");
        Assert.NotNull(reply);
        Assert.Equal(0x42, reply.Seq);
        Assert.Equal(expected, reply.Status);
        Assert.Empty(reply.Payload);
    }

    [ToolFact("verilator")]
    public void A_host_whose_baud_differs_from_the_bitstream_s_by_more_than_2_percent_is_told_the_board_s_rate()
    {
        using var line = SimulatedSerialLine.Start(TestBoard.Config, TestBoard.FastLink);
        var wrong = new UartLink { Baud = 2_900_000 }; // 12 MHz / 4 = 3 Mbaud on the board: 3.4 % apart
        var e = Assert.Throws<Core.UserInputException>(() => new BoardClient(line, TestBoard.FastLink).Connect(wrong));
        Assert.StartsWith("--baud: is 2900000, but the board's bitstream runs at 3000000 baud", e.Message, StringComparison.Ordinal);
        new BoardClient(line, TestBoard.FastLink).Connect(new UartLink { Baud = 2_960_000 }); // 1.3 % apart: accepted
    }

    [ToolFact("verilator")]
    public void Info_reports_the_configuration_and_link_the_bitstream_was_generated_for()
    {
        using var line = SimulatedSerialLine.Start(TestBoard.Config, TestBoard.FastLink);
        var client = new BoardClient(line, TestBoard.FastLink);
        UartBoardInfo info = client.Connect(TestBoard.FastLink);
        Assert.Equal(TestBoard.Config, info.Config);
        Assert.Equal(TestBoard.FastLink.CyclesPerBit, info.CyclesPerBit);
        Assert.Equal(TestBoard.FastLink.TimeoutCycles, info.TimeoutCycles);
        Assert.Equal(UartProtocol.StagingBytes(TestBoard.Config), info.StagingBytes);
        Assert.True(line.Board.LedReady && !line.Board.LedError);
    }
}
