using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace PartnerCenterUsage.Engine.Reports.Files;

/// <summary>
/// A file's permission bits through .NET's own File.GetUnixFileMode and File.SetUnixFileMode (.NET 7 and later, Unix
/// only), reached by reflection since the engine is built for netstandard2.0 and .NET Framework: the way to them on a
/// Unix other than Linux (macOS), where <see cref="LinuxFiles"/> has no calls. Designed for macOS, tested on Linux
/// only (where statx and chmod are used instead).
/// </summary>
internal static class UnixFileModes
{
    private static readonly Type? ModeType = Type.GetType("System.IO.UnixFileMode");
    private static readonly MethodInfo? GetMode = ModeType is null ? null : typeof(File).GetMethod("GetUnixFileMode", [typeof(string)]);
    private static readonly MethodInfo? SetMode = ModeType is null ? null : typeof(File).GetMethod("SetUnixFileMode", [typeof(string), ModeType]);

    private static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <summary>The permission bits of <paramref name="path"/>; null on Windows, on runtimes without the call, or when it fails.</summary>
    public static uint? Get(string path)
    {
        if (!IsUnix || GetMode is null)
        {
            return null;
        }

        try
        {
            return Convert.ToUInt32(GetMode.Invoke(null, [path]), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }

    /// <summary>Sets the permission bits of <paramref name="path"/>; false where the runtime has no way to.</summary>
    public static bool TrySet(string path, uint mode)
    {
        if (!IsUnix || SetMode is null)
        {
            return false;
        }

        try
        {
            SetMode.Invoke(null, [path, Enum.ToObject(ModeType!, (int)mode)]);
            return true;
        }
        catch (TargetInvocationException e) when (e.InnerException is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
