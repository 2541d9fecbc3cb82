using System.Globalization;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>Export-PCLicenseReport: the module's rows, from the pipeline, to one HTML file.</summary>
public sealed class ExportPCLicenseReportTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pcu-report-");

    public void Dispose()
    {
        foreach (var file in _directory.GetFiles())
        {
            file.IsReadOnly = false;
        }

        _directory.Delete(recursive: true);
    }

    private string File(string name) => Path.Combine(_directory.FullName, name);

    [Fact]
    public async Task The_portfolio_s_usage_becomes_a_report_and_the_file_is_returned()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 30 });
        var path = File("usage.html");

        var result = scenario.Run("Get-PCLicenseUsage | Export-PCLicenseReport -Path $args[0] -Title 'Portfolio'", path);

        Assert.Empty(result.Errors);
        var file = Assert.IsType<FileInfo>(Assert.Single(result.Output).BaseObject);
        Assert.Equal(path, file.FullName);
        var html = System.IO.File.ReadAllText(path);
        var rows = scenario.Simulator.Data.UsageRows;
        var customers = rows.Select(r => r.Customer.Id).Distinct().Count();
        var inactive = rows.Sum(r => r.Row.LicensesQualified - r.Row.LicensesActive);
        Assert.Contains("<h1>Portfolio</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"value\">" + customers.ToString("N0", CultureInfo.InvariantCulture) + "</span>Customers", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"value\">" + inactive.ToString("N0", CultureInfo.InvariantCulture) + "</span>Licenses inactive", html, StringComparison.Ordinal);
        Assert.Contains("<section id=\"chart-inactive\" class=\"chart\">", html, StringComparison.Ordinal);
        Assert.Contains("<section id=\"table-usage\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Last_month_s_rows_piped_with_this_month_s_are_left_out_not_summed_and_the_page_says_which_days()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 20 });
        var rows = scenario.Simulator.Data.UsageRows;
        var customers = rows.Select(r => r.Customer.Id).Distinct().Count();
        var inactive = rows.Sum(r => r.Row.LicensesQualified - r.Row.LicensesActive);

        // Last month: the same rows processed a month earlier, when no license was active.
        const string LastMonth = "Get-PCLicenseUsage | ForEach-Object { $_.ProcessedDateTime = $_.ProcessedDateTime.AddMonths(-1); $_.LicensesActive = 0; $_ }";
        foreach (var (name, rowsIn) in new[] { ("earlier-first.html", "& { " + LastMonth + "; Get-PCLicenseUsage }"), ("later-first.html", "& { Get-PCLicenseUsage; " + LastMonth + " }") })
        {
            var path = File(name);

            var result = scenario.Run(rowsIn + " | Export-PCLicenseReport -Path $args[0]", path);

            Assert.Empty(result.Errors);
            var html = System.IO.File.ReadAllText(path);
            Assert.Contains("<span class=\"value\">" + customers.ToString("N0", CultureInfo.InvariantCulture) + "</span>Customers", html, StringComparison.Ordinal);
            Assert.Contains("<span class=\"value\">" + inactive.ToString("N0", CultureInfo.InvariantCulture) + "</span>Licenses inactive", html, StringComparison.Ordinal);
            Assert.Contains(
                "Left out of the figures, the charts and the tables: " + rows.Count.ToString("N0", CultureInfo.InvariantCulture) + " usage rows processed on 2026-10-01, 2017-02-09",
                html,
                StringComparison.Ordinal);
            Assert.Contains("2026-11-01 00:00 UTC</td>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("2026-10-01 00:00 UTC</td>", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Usage_deployment_and_a_stranger_make_one_report_and_one_error_naming_the_stranger_s_type()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 10 });
        var path = File("mixed.html");

        var result = scenario.Run("& { Get-PCLicenseUsage; 'not a row'; Get-PCLicenseDeployment } | Export-PCLicenseReport -Path $args[0]", path);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("UnsupportedReportInput", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("System.String", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("not a row", error.TargetObject);
        Assert.IsType<FileInfo>(Assert.Single(result.Output).BaseObject);
        var html = System.IO.File.ReadAllText(path);
        Assert.Contains("Licenses unassigned", html, StringComparison.Ordinal);
        Assert.Contains("<section id=\"chart-unassigned\" class=\"chart\">", html, StringComparison.Ordinal);
        Assert.Contains("<section id=\"table-deployment\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_of_GroupBy_and_deserialized_copies_are_refused_each_with_its_reason_and_advice()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 10 });
        var path = File("refused.html");
        var grouped = scenario.Run("@(Get-PCLicenseDeployment -GroupBy ProductName).Count").Objects.Single();

        var result = scenario.Run("""
            $copy = [System.Management.Automation.PSSerializer]::Deserialize(
                [System.Management.Automation.PSSerializer]::Serialize(@(Get-PCLicenseUsage)[0]))
            & { Get-PCLicenseDeployment -GroupBy ProductName; Get-PCLicenseUsage; $copy } | Export-PCLicenseReport -Path $args[0]
            """, path);

        Assert.Equal((int)grouped! + 1, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("UnsupportedReportInput,", e.FullyQualifiedErrorId, StringComparison.Ordinal));
        Assert.All(result.Errors.SkipLast(1), e =>
        {
            Assert.Contains("PartnerCenterUsage.Models.CustomerLicenseDeployment#Grouped", e.ToString(), StringComparison.Ordinal);
            Assert.Contains("without -GroupBy", e.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        });
        var copy = result.Errors[^1];
        Assert.Contains("Deserialized.PartnerCenterUsage.Models.CustomerLicenseUsage", copy.ToString(), StringComparison.Ordinal);
        Assert.Contains("in the session (or the job) that gets the rows", copy.ErrorDetails.RecommendedAction, StringComparison.Ordinal);

        // Nothing of the refused rows is counted: the customers are those of the usage rows, none without a name.
        var customers = scenario.Simulator.Data.UsageRows.Select(r => r.Customer.Id).Distinct().Count();
        var html = System.IO.File.ReadAllText(path);
        Assert.Contains("<span class=\"value\">" + customers.ToString("N0", CultureInfo.InvariantCulture) + "</span>Customers", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Licenses sold", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relative_path_is_resolved_against_the_PowerShell_location()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        scenario.Shell.Runspace.SessionStateProxy.Path.SetLocation(_directory.FullName);

        var result = scenario.Run("Get-PCLicenseUsage | Export-PCLicenseReport report.html");

        Assert.Empty(result.Errors);
        Assert.Equal(File("report.html"), ((FileInfo)Assert.Single(result.Output).BaseObject).FullName);
        Assert.True(System.IO.File.Exists(File("report.html")));
    }

    [Fact]
    public async Task NoClobber_refuses_an_existing_file_before_reading_any_row()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var path = File("existing.html");
        System.IO.File.WriteAllText(path, "keep me");

        var error = scenario.RunTerminating("Get-PCLicenseUsage | Export-PCLicenseReport -Path $args[0] -NoClobber", path);

        Assert.StartsWith("ReportFileExists", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal("keep me", System.IO.File.ReadAllText(path));
    }

    [Fact]
    public async Task An_existing_file_is_overwritten_and_a_read_only_one_only_with_Force()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var path = File("existing.html");
        System.IO.File.WriteAllText(path, "old");

        Assert.Empty(scenario.Run("Get-PCLicenseUsage | Export-PCLicenseReport -Path $args[0]", path).Errors);
        Assert.StartsWith("<!DOCTYPE html>", System.IO.File.ReadAllText(path), StringComparison.Ordinal);

        System.IO.File.WriteAllText(path, "read-only");
        new FileInfo(path).IsReadOnly = true;
        var error = scenario.RunTerminating("Get-PCLicenseUsage | Export-PCLicenseReport -Path $args[0]", path);
        Assert.StartsWith("ReportFileReadOnly", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal("read-only", System.IO.File.ReadAllText(path));

        var forced = scenario.Run("Get-PCLicenseUsage | Export-PCLicenseReport -Path $args[0] -Force", path);
        Assert.Empty(forced.Errors);
        Assert.StartsWith("<!DOCTYPE html>", System.IO.File.ReadAllText(path), StringComparison.Ordinal);
        Assert.True(new FileInfo(path).IsReadOnly);
    }

    [Fact]
    public async Task A_folder_that_does_not_exist_stops_the_command_with_ReportWriteFailed_and_leaves_nothing_behind()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var path = Path.Combine(_directory.FullName, "missing", "report.html");

        var error = scenario.RunTerminating("Get-PCLicenseUsage | Export-PCLicenseReport -Path $args[0]", path);

        Assert.StartsWith("ReportWriteFailed", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(path, error.TargetObject);
        Assert.Empty(_directory.GetFileSystemInfos());
        Assert.Equal(0, scenario.Simulator.Requests.Count);
    }

    [Fact]
    public async Task A_path_of_another_provider_is_ReportPathInvalid_before_any_row_and_nothing_is_written_anywhere()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var stray = Path.Combine(Environment.CurrentDirectory, "pcu-env-report.html");

        var error = scenario.RunTerminating("Get-PCLicenseUsage | Export-PCLicenseReport -Path Env:/pcu-env-report.html");

        Assert.StartsWith("ReportPathInvalid,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("Environment provider", error.ToString(), StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(stray));
        Assert.Equal(0, scenario.Simulator.Requests.Count);
    }

    [Fact]
    public async Task LiteralPath_takes_brackets_as_they_are_and_Path_takes_them_escaped_or_as_a_wildcard_naming_one_file()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        scenario.Shell.Runspace.SessionStateProxy.Path.SetLocation(_directory.FullName);

        Assert.Empty(scenario.Run("Get-PCLicenseUsage | Export-PCLicenseReport -LiteralPath 'usage[1].html'").Errors);
        Assert.Empty(scenario.Run("Get-PCLicenseUsage | Export-PCLicenseReport -Path 'usage`[2`].html'").Errors);
        Assert.Equal(["usage[1].html", "usage[2].html"], _directory.GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal));

        // A wildcard naming one existing file overwrites it; naming two, it is refused.
        var one = scenario.Run("Get-PCLicenseDeployment | Export-PCLicenseReport -Path 'usage?1?.html'");
        Assert.Empty(one.Errors);
        Assert.Equal(File("usage[1].html"), ((FileInfo)Assert.Single(one.Output).BaseObject).FullName);
        Assert.Contains("Licenses unassigned", System.IO.File.ReadAllText(File("usage[1].html")), StringComparison.Ordinal);
        var two = scenario.RunTerminating("Get-PCLicenseUsage | Export-PCLicenseReport -Path 'usage*.html'");
        Assert.StartsWith("ReportPathInvalid,", two.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("names 2 files", two.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_report_replaces_an_existing_file_without_leaving_a_temporary_one()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var path = File("again.html");

        Assert.Empty(scenario.Run("Get-PCLicenseUsage | Export-PCLicenseReport -Path $args[0]", path).Errors);
        Assert.Empty(scenario.Run("Get-PCLicenseDeployment | Export-PCLicenseReport -Path $args[0]", path).Errors);

        Assert.Equal(["again.html"], _directory.GetFiles().Select(f => f.Name));
        Assert.Contains("Licenses unassigned", System.IO.File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PassThru_passes_the_rows_on_instead_of_the_file()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 5 });
        var path = File("passthru.html");

        var result = scenario.Run("Get-PCLicenseUsage | Export-PCLicenseReport -Path $args[0] -PassThru", path);

        Assert.Empty(result.Errors);
        Assert.Equal(scenario.Simulator.Data.UsageRows.Count, result.Output.Count);
        Assert.All(result.Output, r => Assert.Equal("PartnerCenterUsage.Models.CustomerLicenseUsage", r.TypeName()));
        Assert.True(System.IO.File.Exists(path));
    }

    [Fact]
    public async Task No_rows_make_a_page_that_says_there_is_no_data()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var path = File("empty.html");

        var result = scenario.Run("@() | Export-PCLicenseReport -Path $args[0]", path);

        Assert.Empty(result.Errors);
        Assert.Single(result.Output);
        Assert.Contains("There is no data", System.IO.File.ReadAllText(path), StringComparison.Ordinal);
    }
}
