using System.IO.MemoryMappedFiles;
using Bit1HW.Core;

namespace Bit1HW.Model.Formats;

/// <summary>
/// A whole file mapped read-only into the address space, so that tensors are read in place as
/// llama.cpp does: a page costs resident memory only once it is touched, and it is backed by the
/// page cache, not by the process's heap. The mapping lives until <see cref="Dispose"/> or until
/// nothing references this object (a finalizer unmaps it). Modifying or truncating the file while
/// it is mapped is the caller's problem, as with any memory-mapped reader: a truncated page faults.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _base;

    public string Path { get; }
    public long Length { get; }

    private MappedFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, long length)
    {
        (Path, _map, _view, Length) = (path, map, view, length);
        byte* p = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _base = p + view.PointerOffset;
    }

    /// <summary>Maps the file open in <paramref name="fs"/> (which may be closed afterwards).</summary>
    public static MappedFile Open(FileStream fs, string name)
    {
        long length = fs.Length;
        if (length == 0) throw new UserInputException(name, "empty file");
        var map = MemoryMappedFile.CreateFromFile(fs, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        try
        {
            var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new MappedFile(name, map, view, length);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    /// <summary>The address of <paramref name="bytes"/> bytes at file offset <paramref name="offset"/>, checked against the mapped length.</summary>
    public nint Address(long offset, long bytes, string tensor)
    {
        if (_base == null) throw new ObjectDisposedException(Path);
        if (offset < 0 || bytes < 0 || offset > Length - bytes)
            throw new UserInputException($"tensor '{tensor}'", $"bytes {offset}..{offset + bytes} lie outside the {Length}-byte file {Path}");
        return (nint)(_base + offset);
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    ~MappedFile() => Release();

    private void Release()
    {
        if (_base == null) return;
        _base = null;
        // SafeHandles are finalized after ordinary objects, so the view is still valid here.
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
