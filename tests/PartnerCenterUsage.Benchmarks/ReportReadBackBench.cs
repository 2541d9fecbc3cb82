using System.Diagnostics;
using System.Globalization;
using System.Management.Automation.Runspaces;
using System.Text;
using PartnerCenterUsage.Runner;

namespace PartnerCenterUsage.Benchmarks;

/// <summary>
/// Reading a report back, and what a baseline adds to a page, for a portfolio of 10,000 customers (120,000 usage and
/// 80,000 deployment rows from <see cref="LicenseRowSource"/>), in the hosted PowerShell 7.6 engine. Each round, in a
/// fresh runspace after an unmeasured warm-up:
/// <list type="number">
/// <item>the report without a baseline, and three earlier reports (the same source over 10,200, 10,400 and 10,600
/// customers, so that the customers' rows and counts differ and some customers are gone);</item>
/// <item>the report again with the latest of them as -Baseline, then with all three (a trend): the page's bytes, and how
/// many the baseline adds;</item>
/// <item><c>Import-PCLicenseReport -Path $file | Out-Discard</c>: the wall time of reading the figures back into the
/// pipeline (the cmdlet reads the file twice: once to check it whole, then to write the figures), its figures per
/// second, and the live heap it holds at its peak (50 ms samples after full collections) above the same measure before.</item>
/// </list>
/// </summary>
internal static class ReportReadBackBench
{
    public const int Customers = 10_000;
    public const int UsageRows = 120_000;
    public const int DeploymentRows = 80_000;

    private static readonly (string Name, string Format)[] Figures =
    [
        ("customers", "N0"),
        ("rows (usage + deployment)", "N0"),
        ("figures read back", "N0"),
        ("page bytes, no baseline", "N0"),
        ("of them the data block", "N0"),
        ("page bytes, one baseline", "N0"),
        ("added by one baseline %", "0.0"),
        ("page bytes, three baselines (trends)", "N0"),
        ("added by three baselines %", "0.0"),
        ("wall s, Export-PCLicenseReport, no baseline", "0.00"),
        ("wall s, Export-PCLicenseReport -Baseline (one file read)", "0.00"),
        ("wall s, Import-PCLicenseReport | Out-Discard", "0.00"),
        ("figures/s, Import-PCLicenseReport", "N0"),
        ("live heap MB, Import-PCLicenseReport peak", "0.0"),
    ];

    public static string Run(int rounds)
    {
        var results = new List<Dictionary<string, double>>();
        var directory = Directory.CreateTempSubdirectory("pcu-readback-bench-");
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                results.Add(Round(directory));
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        var table = new StringBuilder()
            .Append("| figure |").AppendJoin(string.Empty, Enumerable.Range(1, rounds).Select(i => string.Create(CultureInfo.InvariantCulture, $" round {i} |"))).AppendLine(" median |")
            .Append("| --- |").AppendJoin(string.Empty, Enumerable.Repeat(" ---: |", rounds + 1)).AppendLine();
        foreach (var (name, format) in Figures)
        {
            var values = results.Select(r => r[name]).ToList();
            table.Append("| ").Append(name).Append(" |");
            foreach (var value in values.Append(values.Order().ElementAt(values.Count / 2)))
            {
                table.Append(' ').Append(value.ToString(format, CultureInfo.InvariantCulture)).Append(" |");
            }

            table.AppendLine();
        }

        return table.ToString();
    }

    private static Dictionary<string, double> Round(DirectoryInfo directory)
    {
        const double MB = 1024.0 * 1024.0;
        var figures = new Dictionary<string, double>();
        using var shell = new HostedPowerShell(configure: state => state.Commands.Add(new SessionStateCmdletEntry("Out-Discard", typeof(OutDiscardCommand), null)));
        var types = shell.Invoke("(Get-Command Get-PCLicenseUsage).OutputType[0].Type; (Get-Command Get-PCLicenseDeployment).OutputType[0].Type").Objects.Cast<Type>().ToArray();
        LicenseRowSource Source(int c, int u, int d) => new(types[0], types[1], c, u, d);
        string File(string name) => Path.Combine(directory.FullName, name);

        // Not measured: the first pipelines JIT-compile the cmdlets, the builder, the writer and the reader.
        Invoke(shell, "$args[0] | Export-PCLicenseReport -Path $args[1]", Source(300, 3_600, 2_400), File("warm.html"));
        Invoke(shell, "$args[0] | Export-PCLicenseReport -Path $args[1] -Baseline $args[2]", Source(300, 3_600, 2_400), File("warm2.html"), File("warm.html"));
        Invoke(shell, "Import-PCLicenseReport -Path $args[0] | Out-Discard", File("warm2.html"));

        // 1. The earlier reports, and this one without a baseline.
        for (var i = 1; i <= 3; i++)
        {
            var customers = Customers + (i * 200);
            Invoke(shell, "$args[0] | Export-PCLicenseReport -Path $args[1]", Source(customers, UsageRows * customers / Customers, DeploymentRows * customers / Customers), File($"earlier-{i}.html"));
        }

        figures["customers"] = Customers;
        figures["rows (usage + deployment)"] = UsageRows + DeploymentRows;
        var stopwatch = Stopwatch.StartNew();
        Invoke(shell, "$args[0] | Export-PCLicenseReport -Path $args[1]", Source(Customers, UsageRows, DeploymentRows), File("plain.html"));
        figures["wall s, Export-PCLicenseReport, no baseline"] = stopwatch.Elapsed.TotalSeconds;
        var plain = new FileInfo(File("plain.html")).Length;
        figures["page bytes, no baseline"] = plain;
        var html = System.IO.File.ReadAllText(File("plain.html"));
        var start = html.IndexOf("<script type=\"application/json\"", StringComparison.Ordinal);
        figures["of them the data block"] = Encoding.UTF8.GetByteCount(html.AsSpan(start, html.IndexOf("</script>", start, StringComparison.Ordinal) - start));

        // 2. With one baseline, and with three.
        stopwatch.Restart();
        Invoke(shell, "$args[0] | Export-PCLicenseReport -Path $args[1] -Baseline $args[2]", Source(Customers, UsageRows, DeploymentRows), File("one.html"), File("earlier-1.html"));
        figures["wall s, Export-PCLicenseReport -Baseline (one file read)"] = stopwatch.Elapsed.TotalSeconds;
        var one = new FileInfo(File("one.html")).Length;
        figures["page bytes, one baseline"] = one;
        figures["added by one baseline %"] = 100.0 * (one - plain) / plain;
        Invoke(shell, "$args[0] | Export-PCLicenseReport -Path $args[1] -Baseline $args[2]", Source(Customers, UsageRows, DeploymentRows), File("three.html"), new[] { File("earlier-1.html"), File("earlier-2.html"), File("earlier-3.html") });
        var three = new FileInfo(File("three.html")).Length;
        figures["page bytes, three baselines (trends)"] = three;
        figures["added by three baselines %"] = 100.0 * (three - plain) / plain;

        // 3. Reading back.
        Collect();
        OutDiscardCommand.Received = 0;
        stopwatch.Restart();
        Invoke(shell, "Import-PCLicenseReport -Path $args[0] | Out-Discard", File("plain.html"));
        stopwatch.Stop();
        figures["wall s, Import-PCLicenseReport | Out-Discard"] = stopwatch.Elapsed.TotalSeconds;
        figures["figures read back"] = OutDiscardCommand.Received;
        figures["figures/s, Import-PCLicenseReport"] = OutDiscardCommand.Received / stopwatch.Elapsed.TotalSeconds;
        var before = Collect();
        using (var sampler = new MemorySampler())
        {
            Invoke(shell, "Import-PCLicenseReport -Path $args[0] | Out-Discard", File("plain.html"));
            figures["live heap MB, Import-PCLicenseReport peak"] = Math.Max(0, sampler.Stop().Heap - before) / MB;
        }

        foreach (var file in directory.GetFiles())
        {
            file.Delete();
        }

        return figures;
    }

    private static void Invoke(HostedPowerShell shell, string script, params object?[] arguments) => LicenseReportBench.Invoke(shell, script, arguments);

    private static long Collect() => LicenseReportBench.Collect();
}
