using System.Diagnostics;
using System.Globalization;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Text.RegularExpressions;
using PartnerCenterUsage.Runner;

namespace PartnerCenterUsage.Benchmarks;

/// <summary>
/// Export-PCLicenseReport over a 100,000-row portfolio (5,000 customers: 60,000 usage and 40,000 deployment rows, made
/// lazily by <see cref="LicenseRowSource"/>, which holds none of them), in the hosted PowerShell 7.6 engine:
/// <c>$source | Export-PCLicenseReport -Path $file</c>. Each round, in a fresh runspace after an unmeasured warm-up:
/// <list type="number">
/// <item>the timed run, with nothing else measured;</item>
/// <item>the rows alone into a cmdlet that does nothing with them (Out-Discard): what the source and PowerShell's
/// pipeline cost without the report;</item>
/// <item>the memory run: the same pipeline again, while the source calls GC.GetTotalMemory(forceFullCollection: true)
/// every 10,000 rows and after the last one (the pipeline is synchronous, so each previous row has been aggregated
/// by then), and a sampler does the same every 50 ms (which also catches the page being written). Each figure is that
/// live heap above the same measure just before the run: what the run holds, not garbage waiting for a collection;</item>
/// <item>the baselines: the same rows held in a List&lt;object&gt;, and in a PowerShell variable (<c>$rows = @($source)</c>),
/// measured the same way;</item>
/// <item>the file: its size and the rows of its tables (&lt;tr&gt; inside &lt;tbody&gt;);</item>
/// <item>headless Chromium, process start to exit, on this report and on a 20-row one, twice: printing the DOM
/// (<c>--dump-dom</c>) and painting the first screen (<c>--screenshot</c>); the difference is what the report's size
/// costs the browser beyond its start-up, in wall time and in the CPU time of all its processes.</item>
/// </list>
/// </summary>
internal static class LicenseReportBench
{
    public const int Customers = 5_000;
    public const int UsageRows = 60_000;
    public const int DeploymentRows = 40_000;
    public const string Chromium = "/usr/bin/chromium";

    private const string Export = "$args[0] | Export-PCLicenseReport -Path $args[1]";

    /// <summary>The figures, in the order printed, with their format.</summary>
    private static readonly (string Name, string Format)[] Figures =
    [
        ("rows (usage + deployment)", "N0"),
        ("customers", "N0"),
        ("wall s, Export-PCLicenseReport", "0.00"),
        ("rows/s", "N0"),
        ("wall s, the rows alone into a no-op cmdlet", "0.00"),
        ("report's live heap MB, after 10,000 rows", "0.0"),
        ("report's live heap MB, after 60,000 rows (all usage rows, all customers seen)", "0.0"),
        ("report's live heap MB, after 100,000 rows (page not yet written)", "0.0"),
        ("report's live heap MB, peak (50 ms samples, page writing included)", "0.0"),
        ("peak working set above before the run MB", "0.0"),
        ("baseline: the rows held in a List<object> MB", "0.0"),
        ("baseline: the rows held in a PowerShell variable MB", "0.0"),
        ("HTML bytes", "N0"),
        ("HTML MB", "0.00"),
        ("HTML table rows (<tr> in <tbody>)", "N0"),
        ("Chromium --dump-dom wall s, 20-row report", "0.00"),
        ("Chromium --dump-dom wall s, this report", "0.00"),
        ("Chromium --dump-dom wall s, this report minus the 20-row one", "0.00"),
        ("Chromium --dump-dom CPU s, this report minus the 20-row one", "0.00"),
        ("Chromium --screenshot wall s, 20-row report", "0.00"),
        ("Chromium --screenshot wall s, this report", "0.00"),
        ("Chromium --screenshot wall s, this report minus the 20-row one", "0.00"),
        ("Chromium --screenshot CPU s, this report minus the 20-row one", "0.00"),
    ];

    /// <summary>
    /// Runs <paramref name="rounds"/> rounds and returns the table: one column a round, then the median. The last round's
    /// report is copied to <paramref name="keep"/> when one is given, for looking at it. Without
    /// <paramref name="browser"/>, or without Chromium, the browser figures are skipped (and the table says so).
    /// </summary>
    public static string Run(int rounds, bool browser = true, string? keep = null)
    {
        var chromium = browser && File.Exists(Chromium);
        var results = new List<Dictionary<string, double>>();
        var directory = Directory.CreateTempSubdirectory("pcu-report-bench-");
        try
        {
            if (chromium)
            {
                // Not measured: the browser's first start reads its files from disk.
                File.WriteAllText(Path.Combine(directory.FullName, "blank.html"), "<!DOCTYPE html><title>blank</title>");
                LoadInChromium(Path.Combine(directory.FullName, "blank.html"), directory, screenshot: false);
            }

            for (var round = 0; round < rounds; round++)
            {
                results.Add(Round(directory, chromium, round == rounds - 1 ? keep : null));
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        var table = new StringBuilder()
            .Append("| figure |").AppendJoin(string.Empty, Enumerable.Range(1, rounds).Select(i => string.Create(CultureInfo.InvariantCulture, $" round {i} |"))).AppendLine(" median |")
            .Append("| --- |").AppendJoin(string.Empty, Enumerable.Repeat(" ---: |", rounds + 1)).AppendLine();
        foreach (var (name, format) in Figures.Where(f => chromium || !f.Name.StartsWith("Chromium", StringComparison.Ordinal)))
        {
            var values = results.Select(r => r[name]).ToList();
            table.Append("| ").Append(name).Append(" |");
            foreach (var value in values.Append(Median(values)))
            {
                table.Append(' ').Append(value.ToString(format, CultureInfo.InvariantCulture)).Append(" |");
            }

            table.AppendLine();
        }

        if (!chromium)
        {
            table.AppendLine().AppendLine(browser
                ? string.Create(CultureInfo.InvariantCulture, $"Browser figures skipped: no Chromium at {Chromium}.")
                : "Browser figures skipped in the full run: --only report measures them.");
        }

        return table.ToString();
    }

    private static Dictionary<string, double> Round(DirectoryInfo directory, bool chromium, string? keep)
    {
        const double MB = 1024.0 * 1024.0;
        var figures = new Dictionary<string, double>();
        using var shell = new HostedPowerShell(configure: state => state.Commands.Add(new SessionStateCmdletEntry("Out-Discard", typeof(OutDiscardCommand), null)));

        // The module's row types, as its cmdlets declare them (this also loads the engine into the module's load context).
        var types = shell.Invoke("(Get-Command Get-PCLicenseUsage).OutputType[0].Type; (Get-Command Get-PCLicenseDeployment).OutputType[0].Type").Objects.Cast<Type>().ToArray();
        LicenseRowSource Source(int c, int u, int d, Action<long>? sample = null) => new(types[0], types[1], c, u, d) { Sample = sample };

        var report = Path.Combine(directory.FullName, "report.html");
        var small = Path.Combine(directory.FullName, "small.html");

        // Not measured: the first pipeline JIT-compiles the cmdlet, the builder and the page writer.
        Invoke(shell, Export, Source(500, 6_000, 4_000), report);
        Invoke(shell, Export, Source(2, 12, 8), small);
        Invoke(shell, "$args[0] | Out-Discard", Source(500, 6_000, 4_000));
        File.Delete(report);

        // 1. The timed run.
        var source = Source(Customers, UsageRows, DeploymentRows);
        figures["rows (usage + deployment)"] = source.Count;
        figures["customers"] = Customers;
        Collect();
        var stopwatch = Stopwatch.StartNew();
        Invoke(shell, Export, source, report);
        stopwatch.Stop();
        figures["wall s, Export-PCLicenseReport"] = stopwatch.Elapsed.TotalSeconds;
        figures["rows/s"] = source.Count / stopwatch.Elapsed.TotalSeconds;

        // 2. The rows alone.
        Collect();
        OutDiscardCommand.Received = 0;
        stopwatch.Restart();
        Invoke(shell, "$args[0] | Out-Discard", source);
        stopwatch.Stop();
        if (OutDiscardCommand.Received != source.Count)
        {
            throw new InvalidOperationException($"Out-Discard received {OutDiscardCommand.Received} rows of {source.Count}.");
        }

        figures["wall s, the rows alone into a no-op cmdlet"] = stopwatch.Elapsed.TotalSeconds;

        // 3. The memory run, into a file of its own (the timed run's file is measured below).
        var held = new Dictionary<long, long>();
        var baseline = Collect();
        long workingSetBefore;
        using (var process = Process.GetCurrentProcess())
        {
            workingSetBefore = process.WorkingSet64;
        }

        using (var sampler = new MemorySampler())
        {
            Invoke(shell, Export, Source(Customers, UsageRows, DeploymentRows, rows => held[rows] = GC.GetTotalMemory(forceFullCollection: true) - baseline), report + ".memory.html");
            var (peakWorkingSet, peakHeap) = sampler.Stop();
            figures["report's live heap MB, after 10,000 rows"] = held.GetValueOrDefault(10_000) / MB;
            figures["report's live heap MB, after 60,000 rows (all usage rows, all customers seen)"] = held.GetValueOrDefault(UsageRows) / MB;
            figures["report's live heap MB, after 100,000 rows (page not yet written)"] = held[source.Count] / MB;
            figures["report's live heap MB, peak (50 ms samples, page writing included)"] = Math.Max(peakHeap - baseline, held.Values.Max()) / MB;
            figures["peak working set above before the run MB"] = Math.Max(0, peakWorkingSet - workingSetBefore) / MB;
        }

        File.Delete(report + ".memory.html");

        // 4. The baselines: what holding the rows costs.
        figures["baseline: the rows held in a List<object> MB"] = HeldInList(source) / MB;
        baseline = Collect();
        Invoke(shell, "$global:rows = @($args[0])", source);
        figures["baseline: the rows held in a PowerShell variable MB"] = (Collect() - baseline) / MB;
        Invoke(shell, "$global:rows = $null");

        // 5. The file.
        var html = File.ReadAllText(report);
        figures["HTML bytes"] = new FileInfo(report).Length;
        figures["HTML MB"] = new FileInfo(report).Length / MB;
        figures["HTML table rows (<tr> in <tbody>)"] = BodyRows(html);

        // 6. The browser, loading the page and dumping its DOM, then loading it and painting the first screen.
        if (chromium)
        {
            foreach (var (mode, screenshot) in new[] { ("--dump-dom", false), ("--screenshot", true) })
            {
                var (smallWall, smallCpu) = LoadInChromium(small, directory, screenshot);
                var (reportWall, reportCpu) = LoadInChromium(report, directory, screenshot);
                figures[$"Chromium {mode} wall s, 20-row report"] = smallWall;
                figures[$"Chromium {mode} wall s, this report"] = reportWall;
                figures[$"Chromium {mode} wall s, this report minus the 20-row one"] = reportWall - smallWall;
                figures[$"Chromium {mode} CPU s, this report minus the 20-row one"] = reportCpu - smallCpu;
            }
        }

        if (keep is not null)
        {
            File.Copy(report, keep, overwrite: true);
        }

        File.Delete(report);
        File.Delete(small);
        return figures;
    }

    /// <summary>The live heap that the rows take, collected into a List.</summary>
    private static long HeldInList(LicenseRowSource source)
    {
        var baseline = Collect();
        var list = new List<object>(source);
        var held = Collect() - baseline;
        GC.KeepAlive(list);
        return held;
    }

    internal static void Invoke(HostedPowerShell shell, string script, params object?[] arguments)
    {
        var result = shell.Invoke(script, arguments);
        if (result.Errors.Count > 0)
        {
            throw new InvalidOperationException($"{script}: {result.Errors.Count} errors, the first: {result.Errors[0]}");
        }
    }

    /// <summary>A full, blocking collection; the live heap after it.</summary>
    internal static long Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>The rows of the page's tables: each &lt;tr inside a &lt;tbody&gt;; every &lt;tr when it has no tbody.</summary>
    private static int BodyRows(string html)
    {
        var bodies = Regex.Matches(html, "<tbody>(.*?)</tbody>", RegexOptions.Singleline);
        return bodies.Count == 0
            ? Regex.Count(html, "<tr[ >]")
            : bodies.Sum(b => Regex.Count(b.Groups[1].Value, "<tr[ >]"));
    }

    /// <summary>
    /// Headless Chromium loads the page and prints its DOM (<c>--dump-dom</c>), or loads it and saves a screenshot of the
    /// first 1280×1024 pixels (<c>--screenshot</c>: the whole page laid out, the first screen painted). Wall seconds from
    /// process start to exit, and the CPU seconds (user + system) of all its processes, as the kernel counts them for
    /// children waited for (on Linux; 0 elsewhere).
    /// </summary>
    private static (double Wall, double Cpu) LoadInChromium(string path, DirectoryInfo directory, bool screenshot)
    {
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var png = Path.Combine(directory.FullName, "screenshot.png");
        File.Delete(png);
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu",
            "--user-data-dir=" + Path.Combine(directory.FullName, "chromium-profile"),
            screenshot ? "--screenshot=" + png : "--dump-dom",
            "--window-size=1280,1024",
            new Uri(path).AbsoluteUri,
        })
        {
            start.ArgumentList.Add(argument);
        }

        var cpuBefore = ChildrenCpuSeconds();
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var dom = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        stopwatch.Stop();
        _ = error.Result;
        var loaded = screenshot ? File.Exists(png) && new FileInfo(png).Length > 0 : dom.Contains("</html>", StringComparison.OrdinalIgnoreCase);
        if (process.ExitCode != 0 || !loaded)
        {
            throw new InvalidOperationException($"Chromium did not load {path} (exit code {process.ExitCode}).");
        }

        return (stopwatch.Elapsed.TotalSeconds, ChildrenCpuSeconds() - cpuBefore);
    }

    /// <summary>
    /// The CPU time of this process's children that have ended and been waited for, and of theirs (cutime + cstime of
    /// /proc/self/stat, in clock ticks of 10 ms); 0 where there is no /proc.
    /// </summary>
    private static double ChildrenCpuSeconds()
    {
        const string Stat = "/proc/self/stat";
        if (!File.Exists(Stat))
        {
            return 0;
        }

        // After the command name in parentheses: state is field 3, cutime field 16, cstime field 17.
        var text = File.ReadAllText(Stat);
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[16 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[17 - 3], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
