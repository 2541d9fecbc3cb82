using System;
using System.Runtime.InteropServices;
using System.Text;

namespace PartnerCenterUsage.Engine.Reports.Files;

/// <summary>
/// The few calls of Linux's C library the report's write needs, which .NET does not offer: statx, for a path's kind
/// (not following a link), number of names, permission bits, owner and group, and chmod and chown, to give the new
/// page the old file's. statx's result has one layout on every architecture (unlike stat's), so the offsets below hold
/// on x64 and Arm alike. Where the C library has no statx (glibc before 2.28) or the kernel or a sandbox refuses it,
/// <see cref="Stat"/> says so with null and the caller falls back on what .NET tells.
/// </summary>
internal static class LinuxFiles
{
    private const string Libc = "libc";
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1, StatxMode = 0x2, StatxLinkCount = 0x4, StatxOwner = 0x8, StatxGroup = 0x10;
    private const int StatxSize = 256;
    private const int OffsetMask = 0, OffsetLinkCount = 16, OffsetOwner = 20, OffsetGroup = 24, OffsetMode = 28;
    private const int NoSuchFile = 2, PermissionDenied = 13, NotADirectory = 20, NameTooLong = 36, NoSystemCall = 38, NotPermitted = 1, TooManyLinks = 40;

    private static volatile bool _unavailable;

    /// <summary>Whether the calls are of use here: on Linux, while statx has not been refused.</summary>
    public static bool IsAvailable => !_unavailable && RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

    /// <summary>What is at <paramref name="path"/> (a link's own kind); null when statx cannot be used here.</summary>
    public static FileNode? Stat(string path)
    {
        if (!IsAvailable)
        {
            return null;
        }

        var buffer = new byte[StatxSize];
        int result;
        try
        {
            result = Statx(AtCurrentDirectory, Native(path), AtSymlinkNoFollow, StatxType | StatxMode | StatxLinkCount | StatxOwner | StatxGroup, buffer);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true;
            return null;
        }

        if (result != 0)
        {
            switch (Marshal.GetLastWin32Error())
            {
                case NoSuchFile:
                case NotADirectory:
                    return new FileNode(FileNodeKind.Missing);
                case NoSystemCall:
                case NotPermitted:
                    // An old kernel, or a sandbox's filter that refuses the call: .NET's view instead.
                    _unavailable = true;
                    return null;
                case PermissionDenied:
                case NameTooLong:
                case TooManyLinks:
                default:
                    return new FileNode(FileNodeKind.Unknown);
            }
        }

        var mask = BitConverter.ToUInt32(buffer, OffsetMask);
        if ((mask & StatxType) == 0)
        {
            return new FileNode(FileNodeKind.Unknown);
        }

        var mode = BitConverter.ToUInt16(buffer, OffsetMode);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileNodeKind.File,
            0x4000 => FileNodeKind.Directory,
            0xA000 => FileNodeKind.SymbolicLink,
            0x2000 or 0x6000 => FileNodeKind.Device,
            0x1000 => FileNodeKind.Pipe,
            0xC000 => FileNodeKind.Socket,
            _ => FileNodeKind.Unknown,
        };
        return new FileNode(
            kind,
            (mask & StatxLinkCount) != 0 ? BitConverter.ToUInt32(buffer, OffsetLinkCount) : null,
            (mask & StatxMode) != 0 ? (uint)(mode & 0xFFF) : null,
            (mask & StatxOwner) != 0 ? BitConverter.ToUInt32(buffer, OffsetOwner) : null,
            (mask & StatxGroup) != 0 ? BitConverter.ToUInt32(buffer, OffsetGroup) : null);
    }

    /// <summary>Sets the permission bits of <paramref name="path"/>; false (and errno's number) when refused.</summary>
    public static bool TrySetMode(string path, uint mode, out int error)
    {
        var done = Chmod(Native(path), mode) == 0;
        error = done ? 0 : Marshal.GetLastWin32Error();
        return done;
    }

    /// <summary>Sets the owner and group of <paramref name="path"/> (uint.MaxValue leaves one as it is); false when refused.</summary>
    public static bool TrySetOwner(string path, uint owner, uint group) => Chown(Native(path), owner, group) == 0;

    // A path as the C library takes it: UTF-8, ended by a NUL (netstandard2.0 has no UTF-8 string marshalling).
    private static byte[] Native(string path) => Encoding.UTF8.GetBytes(path + "\0");

    [DllImport(Libc, EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, byte[] path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport(Libc, EntryPoint = "chmod", SetLastError = true)]
    private static extern int Chmod(byte[] path, uint mode);

    [DllImport(Libc, EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown(byte[] path, uint owner, uint group);
}
