using System.Buffers.Binary;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Board;

/// <summary>One compiled program run on the board: its outputs [t, o], the busy cycles the board counted and the link's time.</summary>
public sealed record BoardRun(int[] Acc, long Cycles, TimeSpan LinkTime);

/// <summary>
/// Runs compiled programs on a connected board the way <c>bit1hw sim</c> runs them on the simulator:
/// load imem, wmem and amem through write frames, START, poll STATUS until the engine is done, check
/// the busy cycles the board counted against the compiler's prediction, and read back every output
/// word. Programs must be compiled for the board's own configuration (<see cref="Config"/>).
/// </summary>
public sealed class BoardSession : IDisposable
{
    private readonly ISerialLink _link;
    public BoardClient Client { get; }
    public HardwareConfig Config => Client.Config;

    private BoardSession(ISerialLink link, BoardClient client)
    {
        _link = link;
        Client = client;
    }

    /// <summary>Connects over <paramref name="link"/> (which the session then owns): INFO, then an engine reset.</summary>
    public static BoardSession Open(ISerialLink link, UartLink expected, int maxAttempts = 8)
    {
        try
        {
            var client = new BoardClient(link, expected, maxAttempts);
            client.Connect(expected);
            return new BoardSession(link, client);
        }
        catch
        {
            link.Dispose();
            throw;
        }
    }

    /// <summary>Checks that a configuration the user asked for is the board's; a difference names the first field.</summary>
    public void CheckConfig(HardwareConfig wanted, string subject)
    {
        if (wanted != Config)
            throw new UserInputException(subject, $"is {wanted.Tag} (depths w{wanted.WeightDepth} a{wanted.ActDepth} o{wanted.OutDepth} i{wanted.InstrDepth}, maxK {wanted.MaxK}) " +
                $"but the board's bitstream is {Config.Tag} (depths w{Config.WeightDepth} a{Config.ActDepth} o{Config.OutDepth} i{Config.InstrDepth}, maxK {Config.MaxK}); leave it out to use the board's");
    }

    /// <summary>Loads, runs and reads back one program. A BUSY reply here means another host is using the board
    /// (this session reset the engine when it connected): an <see cref="ExternalToolException"/>.</summary>
    public BoardRun Run(ProgramImage image)
    {
        try
        {
            return RunOnce(image);
        }
        catch (BoardBusyException e)
        {
            throw new ExternalToolException("board", $"{e.Message}; is another program using {_link.Name}?");
        }
    }

    private BoardRun RunOnce(ProgramImage image)
    {
        if (image.Config != Config)
            throw new UserInputException("program image", $"compiled for {image.Config.Tag}, but the board is {Config.Tag}");
        TimeSpan t0 = _link.Clock;
        var imem = new byte[image.Instructions.Length * 4];
        for (int i = 0; i < image.Instructions.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(imem.AsSpan(i * 4), image.Instructions[i]);
        Client.Write(UartCommand.WriteImem, 0, imem);
        Client.Write(UartCommand.WriteWmem, 0, WordBytes(image.Weights, UartProtocol.WordBytes(Config, UartCommand.WriteWmem)));
        Client.Write(UartCommand.WriteAmem, 0, WordBytes(image.Activations, UartProtocol.WordBytes(Config, UartCommand.WriteAmem)));
        Client.Start();
        BoardStatus s = WaitDone(image.PredictedCycles);
        int words = image.OutputWord.Length == 0 ? 0 : image.OutputWord.Max() + 1;
        int[] rows = Client.ReadOutputs(0, words);
        var acc = new int[image.OutputWord.Length];
        for (int i = 0; i < acc.Length; i++) acc[i] = rows[image.OutputWord[i] * Config.Rows + image.OutputRow[i]];
        return new BoardRun(acc, s.Cycles, _link.Clock - t0);
    }

    /// <summary>Polls STATUS until the engine is done: at most the predicted run time twice over plus ten seconds of link time.</summary>
    private BoardStatus WaitDone(long predictedCycles)
    {
        TimeSpan limit = _link.Clock + TimeSpan.FromSeconds(2.0 * predictedCycles / Client.Info.ClockHz + 10);
        while (true)
        {
            BoardStatus s = Client.ReadStatus();
            if (!s.Busy && s.Done) return s;
            if (_link.Clock > limit)
                throw new ExternalToolException("board", $"the engine is still busy after {s.Cycles} cycles; the compiler predicted {predictedCycles}");
        }
    }

    /// <summary>A memory image's written words as concatenated little-endian words of <paramref name="wordBytes"/> bytes.</summary>
    internal static byte[] WordBytes(MemoryImage m, int wordBytes)
    {
        var bytes = new byte[m.WrittenWords * wordBytes];
        for (int w = 0; w < m.WrittenWords; w++)
        {
            ReadOnlySpan<uint> limbs = m.Word(w);
            for (int i = 0; i < wordBytes; i++) bytes[w * wordBytes + i] = (byte)(limbs[i / 4] >> (8 * (i % 4)));
        }
        return bytes;
    }

    public void Dispose() => _link.Dispose();
}
