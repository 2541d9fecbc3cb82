using System;
using System.IO;

namespace PartnerCenterUsage.Engine.Reports.Files;

/// <summary>
/// What is at a path, as the report's write needs to know it: its kind (a link itself, not what it points at), its
/// number of names (hard links), and its permission bits, owner and group. On Linux all of it comes from statx
/// (<see cref="LinuxFiles"/>). Elsewhere, and where statx is refused, .NET says what it can: folders, and links as
/// reparse points; the permission bits through File.GetUnixFileMode where the runtime has it (.NET 7 and later); the
/// number of names, the owner and devices, pipes and sockets are then unknown.
/// </summary>
internal readonly struct FileNode
{
    public FileNode(FileNodeKind kind, uint? linkCount = null, uint? mode = null, uint? owner = null, uint? group = null)
    {
        Kind = kind;
        LinkCount = linkCount;
        Mode = mode;
        Owner = owner;
        Group = group;
    }

    public FileNodeKind Kind { get; }

    /// <summary>The file's names (1 unless it has hard links); null when unknown.</summary>
    public uint? LinkCount { get; }

    /// <summary>The permission bits (with set-user-id, set-group-id and sticky: 07777); null when unknown.</summary>
    public uint? Mode { get; }

    /// <summary>The owner's user id (Unix); null when unknown.</summary>
    public uint? Owner { get; }

    /// <summary>The group id (Unix); null when unknown.</summary>
    public uint? Group { get; }

    public bool Exists => Kind is not (FileNodeKind.Missing or FileNodeKind.Unknown);

    /// <summary>What is at <paramref name="path"/>, its last component not followed.</summary>
    public static FileNode Of(string path) => LinuxFiles.Stat(path) ?? Managed(path);

    // What .NET tells of any platform: the attributes of the path itself (a link's own, as ReparsePoint).
    private static FileNode Managed(string path)
    {
        FileAttributes attributes;
        try
        {
            attributes = File.GetAttributes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new FileNode(FileNodeKind.Missing);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new FileNode(FileNodeKind.Unknown);
        }

        if ((attributes & FileAttributes.ReparsePoint) != 0)
        {
            return new FileNode(FileNodeKind.SymbolicLink);
        }

        if ((attributes & FileAttributes.Directory) != 0)
        {
            return new FileNode(FileNodeKind.Directory);
        }

        return new FileNode(FileNodeKind.File, mode: UnixFileModes.Get(path));
    }
}
