using System.Globalization;
using System.Text.RegularExpressions;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// What Export-PCLicenseReport counts of its input: an array given to -InputObject is its rows, as if piped.
/// </summary>
public sealed class ExportPCLicenseReportInputTests : IDisposable
{
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

    // A headline figure as the page shows it.
    private static string Figure(string path, string label) =>
        Regex.Match(System.IO.File.ReadAllText(path), "<span class=\"value[^\"]*\">([^<]*)</span>" + Regex.Escape(label) + "</li>").Groups[1].Value;

    private static string Figures(string path) =>
        string.Join("\n", Regex.Matches(System.IO.File.ReadAllText(path), "<li><span class=\"value[^\"]*\">[^<]*</span>[^<]*</li>").Select(m => m.Value));
}
