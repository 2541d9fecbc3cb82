using System.Diagnostics;
using System.Text;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>
/// Debian packages a test needs, installed with apt-get where missing (as root, or with passwordless sudo): a hand
/// install on this machine is not there on CI's next one.
/// </summary>
public static class DebianPackages
{
    /// <summary>True when apt-get can be run here at all.</summary>
    public static bool CanInstall => OperatingSystem.IsLinux() && File.Exists("/usr/bin/apt-get");

    /// <summary>
    /// Installs <paramref name="packages"/>: at once, or after reading the package lists when they are old or empty.
    /// Returns apt-get's output, for the message of a test that still finds something missing.
    /// </summary>
    public static async Task<string> InstallAsync(params string[] packages)
    {
        var log = new StringBuilder();
        var sudo = Environment.UserName == "root" ? null : "sudo";
        if (await AptAsync(sudo, log, ["install", "-y", "-q", "--no-install-recommends", .. packages]) != 0)
        {
            await AptAsync(sudo, log, "update", "-q");
            await AptAsync(sudo, log, ["install", "-y", "-q", "--no-install-recommends", .. packages]);
        }

        return log.ToString();
    }

    private static async Task<int> AptAsync(string? sudo, StringBuilder log, params string[] arguments)
    {
        var start = new ProcessStartInfo(sudo ?? "/usr/bin/apt-get") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (sudo is not null)
        {
            start.ArgumentList.Add("-n");
            start.ArgumentList.Add("/usr/bin/apt-get");
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        log.Append(await output).Append(await error);
        return process.ExitCode;
    }
}
