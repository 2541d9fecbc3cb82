using System.IO;
using System.Runtime.InteropServices;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>
/// Owner-only permissions on Unix for the files of the saved sign-in (netstandard2.0 has no File.SetUnixFileMode).
/// On Windows the user's profile folder is already private to the user.
/// </summary>
internal static class UnixFilePermissions
{
    /// <summary>rw------- for a file.</summary>
    public const int OwnerReadWrite = 0x180; // 0600

    /// <summary>rwx------ for a folder.</summary>
    public const int OwnerOnly = 0x1C0; // 0700

    public static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <exception cref="IOException">chmod failed.</exception>
    public static void Set(string path, int mode)
    {
        if (IsUnix && chmod(path, mode) != 0)
        {
            throw new IOException($"Could not make '{path}' private to its owner (chmod failed, errno {Marshal.GetLastWin32Error()}).");
        }
    }

    /// <summary>Writes <paramref name="text"/> to a file that is owner-only before any byte is in it.</summary>
    public static void WriteOwnerOnly(string path, string text)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            Set(temporary, OwnerReadWrite);
            using var writer = new StreamWriter(stream);
            writer.Write(text);
        }

        if (File.Exists(path))
        {
            File.Delete(path);
        }

        File.Move(temporary, path);
    }

    [DllImport("libc", SetLastError = true)]
#pragma warning disable CA5392, CA2101, SYSLIB1054 // libc is the system's; the path is ANSI (UTF-8) on Unix.
    private static extern int chmod([MarshalAs(UnmanagedType.LPStr)] string path, int mode);
#pragma warning restore CA5392, CA2101, SYSLIB1054
}
