using System.Globalization;
using System.Text.RegularExpressions;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// What Export-PCLicenseReport counts of its input: an array given to -InputObject is its rows, as if piped; counts near
/// the largest a long holds are summed without wrapping, and a sum past it is unknown and said to be too large, on the
/// page, in the comparison and read back.
/// </summary>
public sealed partial class ExportPCLicenseReportInputTests : IDisposable
{
    private const long Largest = long.MaxValue;

    // Two rows of one customer, made with the module's own type (its engine is in a load context of its own).
    private const string HugeRows = """
        $type = (Get-Command Get-PCLicenseUsage).OutputType[0].Type
        $rows = foreach ($workload in $args[1]) {
            $row = $type::new()
            $row.CustomerId = [guid]'a0000000-0000-4000-8000-000000000001'
            $row.CustomerName = 'Huge'
            $row.ProductName = 'P'
            $row.WorkloadName = $workload.Name
            $row.LicensesQualified = $workload.Qualified
            $row.LicensesActive = $workload.Active
            $row.ProcessedDateTime = [datetimeoffset]'2026-11-01T00:00:00Z'
            $row
        }
        """;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pcu-report-input-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string File(string name) => Path.Combine(_directory.FullName, name);

    [Fact]
    public async Task An_array_given_to_InputObject_is_its_rows_as_if_piped()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 20 });

        var result = scenario.Run("""
            $usage = @(Get-PCLicenseUsage)
            $usage | Export-PCLicenseReport -Path $args[0] | Out-Null
            Export-PCLicenseReport -Path $args[1] -InputObject $usage | Out-Null
            """, File("piped.html"), File("given.html"));

        Assert.Empty(result.Errors);
        var customers = scenario.Simulator.Data.UsageRows.Select(r => r.Customer.Id).Distinct().Count();
        Assert.Equal(customers.ToString("N0", CultureInfo.InvariantCulture), Figure(File("given.html"), "Customers"));
        Assert.Equal(Figures(File("piped.html")), Figures(File("given.html")));
    }

    [Fact]
    public async Task The_same_rows_piped_twice_make_the_same_figures_as_once_and_the_page_says_they_were_repeated()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 20 });

        var result = scenario.Run("""
            $rows = @(Get-PCLicenseUsage; Get-PCLicenseDeployment)
            $rows | Export-PCLicenseReport -Path $args[0] | Out-Null
            & { $rows; $rows } | Export-PCLicenseReport -Path $args[1] | Out-Null
            $rows.Count
            """, File("once.html"), File("twice.html"));

        Assert.Empty(result.Errors);
        Assert.Equal(Figures(File("once.html")), Figures(File("twice.html")));
        var rows = (int)result.Objects[0];
        Assert.Contains($"{rows.ToString("N0", CultureInfo.InvariantCulture)} rows repeated a row already read", System.IO.File.ReadAllText(File("twice.html")), StringComparison.Ordinal);
        Assert.DoesNotContain("repeated a row", System.IO.File.ReadAllText(File("once.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arrays_nested_in_InputObject_are_rows_too_and_PassThru_passes_each_row_on()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 10 });

        var result = scenario.Run("""
            $usage = @(Get-PCLicenseUsage)
            $deployment = @(Get-PCLicenseDeployment)
            $passed = @(Export-PCLicenseReport -Path $args[0] -InputObject $usage, $deployment -PassThru)
            $passed.Count
            ,@($usage) | Export-PCLicenseReport -Path $args[1] | Out-Null
            """, File("both.html"), File("piped-whole.html"));

        Assert.Empty(result.Errors);
        Assert.Equal(scenario.Simulator.Data.UsageRows.Count + scenario.Simulator.Data.DeploymentRows.Count, (int)result.Objects[0]);
        Assert.NotEqual("unknown", Figure(File("both.html"), "Licenses unassigned"));
        Assert.Equal(Figure(File("both.html"), "Licenses inactive"), Figure(File("piped-whole.html"), "Licenses inactive"));
    }

    [Fact]
    public async Task A_string_or_a_hashtable_given_to_InputObject_is_one_input_it_cannot_report_on()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });

        var result = scenario.Run("""
            Export-PCLicenseReport -Path $args[0] -InputObject 'not a row' | Out-Null
            Export-PCLicenseReport -Path $args[0] -InputObject @{ LicensesQualified = 5 } | Out-Null
            """, File("strangers.html"));

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("UnsupportedReportInput,", e.FullyQualifiedErrorId, StringComparison.Ordinal));
        Assert.Contains("System.Collections.Hashtable", result.Errors[1].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counts_near_the_largest_long_are_summed_exactly_and_a_sum_past_it_is_unknown_and_said_to_be_too_large()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        // Exactly the largest long less one: shown as it is (a double would round it to 2^63).
        var fits = scenario.Run(HugeRows + "\n$rows | Export-PCLicenseReport -Path $args[0] | Out-Null", File("fits.html"), Workloads((Largest / 2, 0), (Largest / 2, 0)));
        // Past it: the sum is unknown, never -4.
        var past = scenario.Run(HugeRows + "\n$rows | Export-PCLicenseReport -Path $args[0] | Out-Null", File("past.html"), Workloads((Largest - 1, 0), (Largest - 1, 0)));

        Assert.Empty(fits.Errors);
        Assert.Empty(past.Errors);
        Assert.Equal((Largest - 1).ToString("N0", CultureInfo.InvariantCulture), Figure(File("fits.html"), "Licenses qualified"));
        Assert.Equal((Largest - 1).ToString("N0", CultureInfo.InvariantCulture), Figure(File("fits.html"), "Licenses inactive"));
        var page = System.IO.File.ReadAllText(File("past.html"));
        Assert.Equal("unknown", Figure(File("past.html"), "Licenses qualified"));
        Assert.Equal("unknown", Figure(File("past.html"), "Licenses inactive"));
        Assert.Equal("unknown", Figure(File("past.html"), "Inactive share"));
        Assert.Equal("0", Figure(File("past.html"), "Licenses active"));
        Assert.Contains("Too large to count: sums of licenses qualified, licenses inactive, the inactive share went past 9,223,372,036,854,775,807", page, StringComparison.Ordinal);
        Assert.DoesNotContain("\u2212", Figures(File("past.html")), StringComparison.Ordinal);
        Assert.DoesNotMatch(NegativeCell(), page);
    }

    [Fact]
    public async Task A_row_whose_inactive_count_is_past_the_largest_long_shows_it_unknown_not_wrapped()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });

        var result = scenario.Run(HugeRows + "\n$null -eq $rows[0].LicensesInactive\n$rows | Export-PCLicenseReport -Path $args[0] | Out-Null", File("negative.html"), Workloads((Largest, -1)));

        Assert.Empty(result.Errors);
        Assert.Equal(true, result.Objects.Single());
        Assert.Equal("unknown", Figure(File("negative.html"), "Licenses inactive"));
        Assert.Equal(Largest.ToString("N0", CultureInfo.InvariantCulture), Figure(File("negative.html"), "Licenses qualified"));
        Assert.DoesNotContain("-9223372036854775808", System.IO.File.ReadAllText(File("negative.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_comparison_of_sums_past_the_largest_long_says_they_are_too_large_instead_of_failing_or_wrapping()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var half = (Largest / 2) - 1;

        // The baseline fits (its figure reads back exactly); this month a second customer's two rows take the sum past
        // the largest long (the same rows again would be counted once).
        var result = scenario.Run(
            HugeRows + "\n$rows | Export-PCLicenseReport -Path $args[0] | Out-Null\n"
            + "$baseline = Import-PCLicenseReport -Path $args[0]\n"
            + "$baseline.LicensesQualified\n"
            + "$others = foreach ($r in $rows) { $o = $type::new(); foreach ($p in 'ProductName', 'WorkloadName', 'LicensesQualified', 'LicensesActive', 'ProcessedDateTime') { $o.$p = $r.$p }; $o.CustomerId = [guid]'a0000000-0000-4000-8000-000000000002'; $o.CustomerName = 'Huge too'; $o }\n"
            + "$rows + $others | ForEach-Object { $_ } | Export-PCLicenseReport -Path $args[2] -Baseline $args[0] | Out-Null",
            File("october.html"),
            Workloads((half, 0), (half + 1, 0)),
            File("november.html"));

        Assert.Empty(result.Errors);
        Assert.Equal([half, half + 1], result.Objects.Cast<long>());
        var page = System.IO.File.ReadAllText(File("november.html"));
        Assert.Contains("Too large to count: sums or changes of licenses qualified", page, StringComparison.Ordinal);
        Assert.DoesNotMatch(NegativeCell(), page);
    }

    private static object[] Workloads(params (long Qualified, long Active)[] counts) =>
        [.. counts.Select((c, i) => new System.Collections.Hashtable { ["Name"] = "W" + i, ["Qualified"] = c.Qualified, ["Active"] = c.Active })];

    // A headline figure as the page shows it.
    private static string Figure(string path, string label) =>
        Regex.Match(System.IO.File.ReadAllText(path), "<span class=\"value[^\"]*\">([^<]*)</span>" + Regex.Escape(label) + "</li>").Groups[1].Value;

    private static string Figures(string path) =>
        string.Join("\n", Regex.Matches(System.IO.File.ReadAllText(path), "<li><span class=\"value[^\"]*\">[^<]*</span>[^<]*</li>").Select(m => m.Value));

    // A count of the page written with a minus: a wrapped sum (a count of licenses is never negative here).
    [GeneratedRegex("data-v=\"-\\d")]
    private static partial Regex NegativeCell();
}
