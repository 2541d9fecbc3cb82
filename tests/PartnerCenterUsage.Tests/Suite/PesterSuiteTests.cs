using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using PartnerCenterUsage.Runner;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Suite;

/// <summary>
/// The Pester suite of tests/Pester, what only a real shell shows, run in the pinned pwsh of .config/dotnet-tools.json
/// with the Pester the build restored from NuGet: a Pester failure fails this test, with the names and messages of the
/// failed Pester tests. It runs alone, after the other tests, so that its real shells do not compete with them.
/// build.ps1's own tests (Build.Tests.ps1: two more builds and a package) are left out: they are a step of their own
/// in .ci/run, which the test below holds it to.
/// </summary>
[Collection(nameof(PesterSuiteTests))]
public sealed class PesterSuiteTests
{
    private static readonly string Simulator = Metadata("Simulator");

    private static readonly string BuildTests = Repo.Path("tests", "Pester", "Build.Tests.ps1");

    [Fact]
    public void The_Pester_suite_passes_in_the_pinned_pwsh_with_the_pinned_Pester()
    {
        var restore = Run(TimeSpan.FromMinutes(5), "tool", "restore");
        Assert.True(restore.ExitCode == 0, "dotnet tool restore failed:\n" + restore.Output);
        var summaryPath = Path.Combine(Path.GetTempPath(), $"pcu-pester-{Guid.NewGuid():N}.json");
        try
        {
            var run = Run(
                TimeSpan.FromMinutes(12), "tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", Repo.Path("tests", "Pester", "Invoke-PesterSuite.ps1"),
                "-ModulePath", HostedPowerShell.ModuleManifestPath, "-SimulatorPath", Simulator, "-SummaryPath", summaryPath, "-Output", "Normal",
                "-ExcludePath", BuildTests);
            Assert.True(File.Exists(summaryPath), $"The Pester suite wrote no summary (exit code {run.ExitCode}):\n{run.Output}");
            using var summary = JsonDocument.Parse(File.ReadAllText(summaryPath));
            var root = summary.RootElement;
            var failures = root.GetProperty("Failures").EnumerateArray()
                .Select(f => $"- {f.GetProperty("Name").GetString()}\n  {f.GetProperty("Message").GetString()?.Replace("\n", "\n  ", StringComparison.Ordinal)}")
                .ToList();

            Assert.True(failures.Count == 0, $"{failures.Count} Pester failure(s):\n{string.Join('\n', failures)}");
            Assert.True(run.ExitCode == 0, $"The Pester suite exited with {run.ExitCode}:\n{run.Output}");
            Assert.Equal(PinnedPowerShell(), root.GetProperty("PowerShell").GetString());
            Assert.Equal(Metadata("PesterVersion"), root.GetProperty("Pester").GetString());
            // Every test discovered ran and passed: none skipped for want of a tool, none left out.
            var (passed, total) = (root.GetProperty("Passed").GetInt32(), root.GetProperty("Total").GetInt32());
            Assert.True(passed > 0 && passed == total, $"{passed} of {total} Pester tests passed:\n{run.Output}");
        }
        finally
        {
            File.Delete(summaryPath);
        }
    }

    [Fact]
    public void The_build_ps1_tests_left_out_here_are_a_CI_step_of_their_own_after_the_README_s_test_command()
    {
        var steps = File.ReadAllLines(Repo.Path(".ci", "run")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        var test = steps.IndexOf("dotnet test");
        var build = steps.FindIndex(l => l.StartsWith("dotnet tool run pwsh ", StringComparison.Ordinal)
            && l.Contains("-File tests/Pester/Invoke-PesterSuite.ps1", StringComparison.Ordinal)
            && l.Contains("-Path tests/Pester/Build.Tests.ps1", StringComparison.Ordinal));
        Assert.True(test >= 0, ".ci/run does not run the README's test command, `dotnet test`, as a step");
        Assert.True(build > test, ".ci/run does not run tests/Pester/Build.Tests.ps1 through Invoke-PesterSuite.ps1 after `dotnet test`");
        Assert.Contains("set -euo pipefail", steps);
        Assert.True(File.Exists(BuildTests));
    }

    private static string Metadata(string key) =>
        typeof(PesterSuiteTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static string PinnedPowerShell()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Repo.Path(".config", "dotnet-tools.json")));
        return manifest.RootElement.GetProperty("tools").GetProperty("powershell").GetProperty("version").GetString()!;
    }

    /// <summary>
    /// Runs dotnet in the repository and returns its exit code and output. It waits for the process, not for its output
    /// to close: a process the suite left behind that holds the pipe cannot hang the test (the suite reports it).
    /// </summary>
    private static (int ExitCode, string Output) Run(TimeSpan bound, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The MSBuild of `dotnet test` hands its paths to the test process; a build the suite runs must find its own.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(bound))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', arguments)} did not end within {bound}:\n{Text(output)}");
        }

        return (process.ExitCode, Text(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
