namespace PartnerCenterUsage.Tests.Support;

/// <summary>
/// Debian's Chromium for the browser tests: PCU_CHROMIUM when set, else chromium-headless-shell or chromium on the
/// PATH; where neither is there, the test setup installs Debian's chromium with apt-get (as root, or with sudo).
/// </summary>
public static class Chromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
    private static readonly Lazy<Task<string>> Installed = new(FindOrInstallAsync);

    /// <summary>The browser's path, installed first where missing (once per test run).</summary>
    public static Task<string> PathAsync() => Installed.Value;

    private static async Task<string> FindOrInstallAsync()
    {
        if (Environment.GetEnvironmentVariable("PCU_CHROMIUM") is { Length: > 0 } given)
        {
            return File.Exists(given) ? given : throw new InvalidOperationException($"PCU_CHROMIUM names '{given}', which does not exist.");
        }

        if (Find() is { } found)
        {
            return found;
        }

        if (!DebianPackages.CanInstall)
        {
            throw new InvalidOperationException(
                "The browser tests need Chromium: install it (Debian: apt-get install chromium) or set PCU_CHROMIUM to a Chromium or Chrome executable.");
        }

        var log = await DebianPackages.InstallAsync("chromium");
        return Find() ?? throw new InvalidOperationException("apt-get could not install chromium:\n" + log);
    }

    private static string? Find() => Candidates.FirstOrDefault(File.Exists);
}
