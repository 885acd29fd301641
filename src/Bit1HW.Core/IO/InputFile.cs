using System.Globalization;
using System.Text;

namespace Bit1HW.Core.IO;

/// <summary>
/// Reads small input files (configs, tables, reports, assembly) whole, with a size limit checked
/// before anything is read, so a wrong path to a multi-GB file or a device is a one-line error
/// rather than an allocation of its size. Text must be strict UTF-8: an invalid byte is an error
/// naming its offset, never silently replaced.
/// </summary>
public static class InputFile
{
    /// <summary>Limit for JSON inputs (configs, node tables, simulator reports): the largest shipped one is under 8 KiB.</summary>
    public const long MaxJsonBytes = 16L << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The bytes of <paramref name="path"/>; a missing, unreadable or too large file is a <see cref="UserInputException"/>.</summary>
    public static byte[] ReadBytes(string path, long maxBytes, string what)
    {
        if (Directory.Exists(path)) throw new UserInputException(path, $"is a directory, not a {what}");
        if (!File.Exists(path)) throw new UserInputException(path, $"{what} not found");
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            long length = fs.Length;
            if (length > maxBytes)
                throw new UserInputException(path, string.Create(CultureInfo.InvariantCulture,
                    $"{length} bytes is larger than the {maxBytes} bytes a {what} may have"));
            var bytes = new byte[length];
            fs.ReadExactly(bytes);
            return bytes;
        }
        catch (IOException e) { throw new UserInputException(path, $"cannot read: {e.Message}"); }
        catch (UnauthorizedAccessException e) { throw new UserInputException(path, $"cannot read: {e.Message}"); }
    }

    /// <summary>The text of <paramref name="path"/> as strict UTF-8 (a leading byte-order mark is dropped).</summary>
    public static string ReadText(string path, long maxBytes, string what) => DecodeUtf8(ReadBytes(path, maxBytes, what), path);

    /// <summary>Strict UTF-8 to a string; an invalid sequence is a <see cref="UserInputException"/> naming its byte offset.</summary>
    public static string DecodeUtf8(ReadOnlySpan<byte> bytes, string source)
    {
        int bad = FirstInvalidUtf8(bytes);
        if (bad >= 0)
            throw new UserInputException(source, string.Create(CultureInfo.InvariantCulture,
                $"byte offset {bad}: byte 0x{bytes[bad]:x2} is not valid UTF-8 here"));
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        return StrictUtf8.GetString(bytes);
    }

    /// <summary>Offset of the first byte that does not start a valid UTF-8 sequence, or -1.</summary>
    public static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        int at = 0;
        while (at < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[at..], out _, out int consumed);
            if (status != System.Buffers.OperationStatus.Done) return at;
            at += consumed;
        }
        return -1;
    }
}
