using System.Text;
using Bit1HW.Core.IO;

namespace Bit1HW.Core.Hardware;

/// <summary>
/// The <c>.b1img</c> file of a <see cref="ProgramImage"/> (written by <c>bit1hw compile --image</c>,
/// read by <c>bit1hw sim --image</c> and the Verilator harness). Little-endian throughout:
/// magic "B1HWIMG1"; u32 length + UTF-8 canonical config JSON; i32 tokens, outFeatures, inFeatures;
/// i64 predicted cycles; u32 instruction count + u32 words; for wmem then amem: i32 written words +
/// written × ceil(wordBits / 32) u32 limbs; i32 output word then i32 output row for each of the
/// tokens × outFeatures elements. Byte-stable for a given image.
/// </summary>
public static class ProgramImageFile
{
    private static readonly byte[] Magic = "B1HWIMG1"u8.ToArray();

    public static byte[] ToBytes(ProgramImage image)
    {
        if (image.External is not null)
            throw new UserInputException("program image", "a streaming program's weights live in external memory, which a .b1img file does not hold (host-fed configs only)");
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            byte[] json = Encoding.UTF8.GetBytes(image.Config.ToJson());
            w.Write((uint)json.Length);
            w.Write(json);
            w.Write(image.Workload.Tokens);
            w.Write(image.Workload.OutFeatures);
            w.Write(image.Workload.InFeatures);
            w.Write(image.PredictedCycles);
            w.Write((uint)image.Instructions.Length);
            foreach (uint word in image.Instructions) w.Write(word);
            foreach (MemoryImage m in (MemoryImage[])[image.Weights, image.Activations])
            {
                w.Write(m.WrittenWords);
                foreach (uint limb in m.Limbs) w.Write(limb);
            }
            for (int i = 0; i < image.OutputWord.Length; i++) { w.Write(image.OutputWord[i]); w.Write(image.OutputRow[i]); }
        }
        return ms.ToArray();
    }

    public static void Write(string path, ProgramImage image) => AtomicFile.WriteAllBytes(path, ToBytes(image));

    /// <summary>Largest image file read: it is read into one array.</summary>
    public const long MaxFileBytes = 0x7FFFFFC7;

    public static ProgramImage Read(string path) => Parse(InputFile.ReadBytes(path, MaxFileBytes, "program image"), path);

    public static ProgramImage Parse(byte[] bytes, string source)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                throw new UserInputException(source, "not a Bit1HW program image (magic B1HWIMG1 missing)");
            int configBytes = Count(r, 1 << 20, source, "config length");
            Need(r, configBytes, source, "the config");
            HardwareConfig c = HardwareConfig.Parse(r.ReadBytes(configBytes), $"{source}: embedded config");
            var shape = new Workload(r.ReadInt32(), r.ReadInt32(), r.ReadInt32());
            long predicted = r.ReadInt64();
            uint[] instructions = ReadUInts(r, Count(r, c.InstrDepth, source, "instruction count"), source, "instructions");
            MemoryImage weights = ReadMemory(r, c.WeightWordBits, c.WeightDepth, source, "weight");
            MemoryImage acts = ReadMemory(r, c.ActWordBits, c.ActDepth, source, "activation");
            long n = (long)shape.Tokens * shape.OutFeatures;
            if (shape.Tokens < 1 || shape.OutFeatures < 1 || n > c.OutDepth * (long)c.Rows)
                throw new UserInputException(source, $"workload {shape} does not fit the output memory");
            Need(r, 8 * n, source, "the output placement");
            var words = new int[n];
            var rows = new int[n];
            for (int i = 0; i < n; i++) { words[i] = r.ReadInt32(); rows[i] = r.ReadInt32(); }
            if (r.BaseStream.Position != bytes.Length)
                throw new UserInputException(source, $"{bytes.Length - r.BaseStream.Position} unexpected bytes after the image");
            return new ProgramImage(c, instructions, weights, acts, shape, words, rows, predicted);
        }
        catch (EndOfStreamException)
        {
            throw new UserInputException(source, "truncated program image");
        }
    }

    private static int Count(BinaryReader r, int max, string source, string what)
    {
        uint v = r.ReadUInt32();
        if (v > max) throw new UserInputException(source, $"{what} {v} exceeds {max}");
        return (int)v;
    }

    /// <summary>Checks that <paramref name="bytes"/> more bytes exist before anything is allocated for them.</summary>
    private static void Need(BinaryReader r, long bytes, string source, string what)
    {
        long left = r.BaseStream.Length - r.BaseStream.Position;
        if (bytes > left) throw new UserInputException(source, $"truncated program image: {what} needs {bytes} bytes, {left} left");
    }

    private static uint[] ReadUInts(BinaryReader r, int count, string source, string what)
    {
        Need(r, 4L * count, source, what);
        var a = new uint[count];
        for (int i = 0; i < count; i++) a[i] = r.ReadUInt32();
        return a;
    }

    private static MemoryImage ReadMemory(BinaryReader r, int wordBits, int depth, string source, string what)
    {
        int written = r.ReadInt32();
        if (written < 0 || written > depth) throw new UserInputException(source, $"{what} memory: {written} written words outside 0..{depth}");
        long limbs = (long)written * MemoryImage.LimbCount(wordBits);
        Need(r, 4 * limbs, source, $"the {what} memory");
        return new MemoryImage(wordBits, depth, written, ReadUInts(r, (int)limbs, source, $"the {what} memory"));
    }
}
