using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>
/// A headless Linux keyring for the saved sign-in tests: Debian's gnome-keyring, libsecret and dbus, installed with
/// apt-get where missing (as root, or with passwordless sudo, as <see cref="Chromium"/> does), and child processes of
/// the pinned pwsh run under dbus-run-session with a throwaway HOME whose keyring is unlocked (password on stdin),
/// locked, missing its D-Bus session or its libsecret.
/// </summary>
public static class Keyring
{
    /// <summary>How the child's keyring is set up.</summary>
    public enum Setup
    {
        /// <summary>dbus-run-session with gnome-keyring-daemon --unlock --components=secrets.</summary>
        Unlocked,

        /// <summary>dbus-run-session with gnome-keyring-daemon started but never unlocked: every write needs a password prompt that no one can answer.</summary>
        Locked,

        /// <summary>No D-Bus session at all (DBUS_SESSION_BUS_ADDRESS unset, no dbus-run-session).</summary>
        NoDbus,

        /// <summary>Unlocked, but libsecret cannot be loaded (a private mount namespace puts an empty file in its place).</summary>
        NoLibsecret,
    }

    public const string Password = "throwaway-keyring-password";
    private const string Libsecret = "/usr/lib/x86_64-linux-gnu/libsecret-1.so.0";
    private static readonly Lazy<Task> Installed = new(InstallAsync);

    /// <summary>Installs what is missing, once per test run.</summary>
    public static Task EnsureInstalledAsync() => Installed.Value;

    /// <summary>The pinned pwsh (.config/dotnet-tools.json), run with dotnet directly so that a throwaway HOME does not hide it.</summary>
    public static string PwshDll()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } given
            ? given
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(packages, "powershell", "7.6.9", "tools", "net10.0", "any", "unix", "pwsh.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"The pinned pwsh is not at {path}: run dotnet tool restore.");
    }

    /// <summary>Runs <paramref name="script"/> (bash) under <paramref name="setup"/> with HOME=<paramref name="home"/>; its output, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string home, Setup setup, string script, TimeSpan timeout)
    {
        var folder = Directory.CreateTempSubdirectory("pcu-keyring-script-").FullName;
        try
        {
            var inner = Path.Combine(folder, "inner.sh");
            await File.WriteAllTextAsync(inner, "set -e\n" + script + "\n");
            var outer = setup switch
            {
                Setup.Unlocked => Session(unlock: true, inner),
                Setup.Locked => Session(unlock: false, inner),
                Setup.NoDbus => $"bash '{inner}'",
                Setup.NoLibsecret => $"mount --bind /dev/null {Libsecret} && {Session(unlock: true, inner)}",
                _ => throw new ArgumentOutOfRangeException(nameof(setup)),
            };
            var start = new ProcessStartInfo(setup == Setup.NoLibsecret ? "unshare" : "bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (setup == Setup.NoLibsecret)
            {
                start.ArgumentList.Add("-m");
                start.ArgumentList.Add("bash");
            }

            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(outer);
            start.Environment["HOME"] = home;
            start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
            start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
            start.Environment["PCU_PWSH"] = PwshDll();
            foreach (var name in new[] { "DBUS_SESSION_BUS_ADDRESS", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "GNOME_KEYRING_CONTROL", "PSModulePath" })
            {
                start.Environment.Remove(name);
            }

            using var process = Process.Start(start)!;
            var output = new StringBuilder();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                return (-1, "TIMED OUT\n" + await stdout + await stderr);
            }

            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Every file under <paramref name="home"/> that holds a token of the simulator (a JWT or a refresh token) or MSAL's cache JSON in the clear.</summary>
    public static IReadOnlyList<string> FilesWithTokens(string home)
    {
        var token = new Regex(@"eyJ[A-Za-z0-9_-]{10,}\.eyJ|rt\.[A-Za-z0-9_-]{40,}|""RefreshToken""\s*:|""AccessToken""\s*:", RegexOptions.CultureInvariant);
        return Directory.EnumerateFiles(home, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false })
            .Where(f => new FileInfo(f).Length < 64 << 20 && token.IsMatch(Encoding.Latin1.GetString(File.ReadAllBytes(f))))
            .ToList();
    }

    private static string Session(bool unlock, string inner) =>
        "dbus-run-session -- bash -c \"" +
        (unlock
            ? $"printf %s '{Password}' | gnome-keyring-daemon --unlock --components=secrets >/dev/null"
            : "gnome-keyring-daemon --start --components=secrets </dev/null >/dev/null") +
        $" && bash '{inner}'\"";

    private static async Task InstallAsync()
    {
        string[] needed = ["/usr/bin/gnome-keyring-daemon", "/usr/bin/secret-tool", "/usr/bin/dbus-run-session", Libsecret];
        if (needed.All(File.Exists))
        {
            return;
        }

        if (!DebianPackages.CanInstall)
        {
            throw new InvalidOperationException("The keyring tests need Debian's gnome-keyring, libsecret-1-0, libsecret-tools and dbus.");
        }

        var log = await DebianPackages.InstallAsync("gnome-keyring", "libsecret-1-0", "libsecret-tools", "dbus");
        if (!needed.All(File.Exists))
        {
            throw new InvalidOperationException("apt-get could not install the keyring packages:\n" + log);
        }
    }
}
