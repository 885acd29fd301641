namespace Bit1HW.Board.Tests;

public class ProgrammerTests
{
    [Theory]
    [InlineData("init..\nCan't find iCE FTDI USB device (vendor_id 0x0403, device_id 0x6010 or 0x6014).\nABORT.", true)]
    [InlineData("write to flash\nunable to open ftdi device: -3 (device not found)\nError: Failed to claim cable", true)]
    [InlineData("init..\ncdone: high\nreading..\nVERIFY FAILED", false)]
    public void The_programmers_own_words_for_no_board_are_recognized_and_other_failures_are_not(string output, bool noBoard)
    {
        Assert.Equal(noBoard, BoardProgrammer.NoBoard(output));
    }
}
