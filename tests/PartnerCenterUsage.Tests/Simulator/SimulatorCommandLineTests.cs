using System.Diagnostics;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.RegularExpressions;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>The built simulator run on its own: the command-line switches of the commercial analytics.</summary>
public sealed partial class SimulatorCommandLineTests
{
    private static readonly string SimulatorPath =
        typeof(SimulatorCommandLineTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Simulator").Value!;

    [GeneratedRegex(@"simulator at (http://\S+?)/? with")]
    private static partial Regex Listening();

    [Fact]
    public async Task Commercial_paths_and_page_size_come_from_the_command_line()
    {
        using var process = Start("--customers", "5", "--commercial-paths", "partnerprefixonly", "--commercial-page-size", "3");
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(await AddressAsync(process)) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SimulatorOptions.DefaultToken);

            using var documented = await http.GetAsync(new Uri("/v1/analytics/commercial/usage/license", UriKind.Relative));
            var page = CommercialPage.Read(System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(
                await http.GetStringAsync(new Uri("/partner/v1/analytics/commercial/usage/license", UriKind.Relative))));

            Assert.Equal(404, (int)documented.StatusCode);
            Assert.Empty(await documented.Content.ReadAsByteArrayAsync());
            Assert.Equal(3, page.Rows.Count);
            Assert.StartsWith("/partner/v1/analytics/commercial/usage/license?top=10000&skip=3", page.NextLink, StringComparison.Ordinal);
        }
        finally
        {
            Stop(process);
        }
    }

    [Fact]
    public async Task History_months_come_from_the_command_line()
    {
        using var process = Start("--customers", "5", "--history-months", "2");
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(await AddressAsync(process)) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SimulatorOptions.DefaultToken);
            async Task<CommercialPage> PageAsync(string date) => CommercialPage.Read(System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(
                await http.GetStringAsync(new Uri("/v1/analytics/commercial/usage/license?processedDateTime=" + date, UriKind.Relative))));

            // The same seed in this process: the same history.
            var expected = new SimulatorData(5, new SimulatorOptions().Seed, historyMonths: 2).History[1];
            var kept = await PageAsync("2026-09-01");
            var beyond = await PageAsync("2026-08-01");

            Assert.Equal(expected.UsageRows.Count, kept.TotalCount);
            Assert.All(kept.Rows, r => Assert.Equal("2026-09-01T00:00:00", CommercialPage.Text(r, "processedDateTime")));
            Assert.Equal(0, beyond.TotalCount);
        }
        finally
        {
            Stop(process);
        }
    }

    [Fact]
    public async Task An_unknown_path_form_stops_it_with_the_known_ones_named()
    {
        using var process = Start("--commercial-paths", "7");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            var errors = await process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);

            Assert.NotEqual(0, process.ExitCode);
            Assert.Contains("expected Both, DocumentedOnly, PartnerPrefixOnly", errors, StringComparison.Ordinal);
        }
        finally
        {
            Stop(process);
        }
    }

    // On a free port, ending with this process whatever happens to the test.
    private static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[SimulatorPath, "--urls", "http://127.0.0.1:0", "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    private static async Task<string> AddressAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (Listening().Match(line) is { Success: true } match)
            {
                return match.Groups[1].Value;
            }
        }

        throw new InvalidOperationException("The simulator ended before it said where it listens: " + await process.StandardError.ReadToEndAsync());
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }
}
