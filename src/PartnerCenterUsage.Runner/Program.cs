using System.Globalization;
using System.Management.Automation;
using PartnerCenterUsage.Runner;
using PartnerCenterUsage.Simulator;

// Runs a PartnerCenterUsage script in the PowerShell 7.6 engine against a local Partner Center simulator,
// and prints what a user would see at a pwsh prompt.
//   dotnet run --project src/PartnerCenterUsage.Runner                       the sample report, and its HTML page
//                                                                             (out/license-report.html, or -ReportPath)
//   dotnet run --project src/PartnerCenterUsage.Runner -- -Command '<script>'
//   dotnet run --project src/PartnerCenterUsage.Runner -- -File report.ps1 [-Customers 25] [-LatencyMs 0]
// The script runs already connected to the simulator; $SimulatorCustomerIds holds its customer ids, $ReportPath the
// path of the HTML report.
const string SampleReport = """
    '# Which customers pay for licenses nobody uses? The whole portfolio in one request (Get-PCLicenseUsage):'
    '# workloads with 100 or more qualified licenses, under 25 % of them active (an unknown usage is $null, not low).'
    Get-PCLicenseUsage | Where-Object { $_.LicensesQualified -ge 100 -and $null -ne $_.UsagePercent -and $_.UsagePercent -lt 25 } | Out-Default

    '# Licenses sold but assigned to nobody (Get-PCLicenseDeployment), 100 or more:'
    Get-PCLicenseDeployment | Where-Object LicensesUnassigned -ge 100 | Out-Default

    '# The portfolio per product, summed by Partner Center (Get-PCLicenseDeployment -GroupBy ProductName):'
    Get-PCLicenseDeployment -GroupBy ProductName | Out-Default

    $example = @(Get-PCCustomerLicenseUsage -CustomerId 4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04)
    "# One customer, as the per-customer usage insights report it (the documentation example customer, $($example[0].CustomerName)):"
    $example | Out-Default

    '# Which seats can be cut, for which customer, before which date: unused seats returnable now or at renewal (Get-PCLicenseReduction):'
    Get-PCLicenseReduction | Where-Object CuttableSeats -gt 0 | Out-Default

    '# Last month''s report, from the data Partner Center processed a month earlier (Get-PCLicenseUsage -ProcessedDateTime):'
    $lastMonth = [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($ReportPath), 'license-report-last-month.html')
    & { Get-PCLicenseUsage -ProcessedDateTime 2026-10-01; Get-PCLicenseDeployment -ProcessedDateTime 2026-10-01 } |
        Export-PCLicenseReport -Path $lastMonth -Title 'Sample portfolio license report, October' |
        ForEach-Object { "# $($_.FullName) ($($_.Length) bytes)" }

    '# What it counted, read back from the page (Import-PCLicenseReport): the workloads with 300 or more inactive licenses then:'
    Import-PCLicenseReport -Path $lastMonth | Where-Object { $_.Kind -eq 'Usage' -and $_.LicensesInactive -ge 300 } | Out-Default

    '# The same portfolio now as a page to look at, compared with last month: usage, deployment, every customer''s SKUs and the seats to cut before renewal (Export-PCLicenseReport -Baseline):'
    & { Get-PCLicenseUsage; Get-PCLicenseDeployment; Get-PCCustomer | Get-PCCustomerSubscribedSku; Get-PCLicenseReduction } |
        Export-PCLicenseReport -Path $ReportPath -Title 'Sample portfolio license report' -Baseline $lastMonth |
        ForEach-Object { "# The report: $($_.FullName) ($($_.Length) bytes); open it in a browser." }
    """;

string? command = null;
string? file = null;
var customers = 25;
var latency = TimeSpan.Zero;
string? reportPath = null;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i].ToUpperInvariant())
    {
        case "-COMMAND" or "--COMMAND" or "-C":
            command = Next();
            break;
        case "-FILE" or "--FILE" or "-F":
            file = Next();
            break;
        case "-CUSTOMERS" or "--CUSTOMERS":
            customers = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "-LATENCYMS" or "--LATENCY-MS":
            latency = TimeSpan.FromMilliseconds(int.Parse(Next(), CultureInfo.InvariantCulture));
            break;
        case "-REPORTPATH" or "--REPORT-PATH":
            reportPath = Path.GetFullPath(Next());
            break;
        case "-?" or "-H" or "--HELP" or "-HELP":
            Console.WriteLine("Usage: dotnet run --project src/PartnerCenterUsage.Runner [-- -Command '<script>' | -File <path.ps1>] [-Customers N] [-LatencyMs N] [-ReportPath <file.html>]");
            return 0;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Try --help.");
            return 2;
    }
}

var script = command ?? (file is null ? SampleReport : await File.ReadAllTextAsync(file));
// Three earlier months of commercial analytics, so that a report can be compared with last month's (-ProcessedDateTime).
await using var simulator = await PartnerCenterSimulator.StartAsync(new SimulatorOptions { CustomerCount = customers, Latency = latency, HistoryMonths = 3 });
Console.WriteLine($"# {simulator}, {simulator.Data.Customers.Count} customers; module {HostedPowerShell.ModuleManifestPath}");

using var shell = new HostedPowerShell(console: Console.Out, ansi: !Console.IsOutputRedirected);
shell.Runspace.SessionStateProxy.SetVariable("SimulatorCustomerIds", simulator.Data.Customers.Select(c => c.Id).ToArray());

// The sample's HTML report goes beside the built module (out/), whatever the current directory.
shell.Runspace.SessionStateProxy.SetVariable("ReportPath", reportPath ?? Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(HostedPowerShell.ModuleManifestPath)!)!, "license-report.html"));
shell.Invoke("Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1] | Out-Default", SimulatorOptions.DefaultToken, simulator.BaseAddress);

try
{
    // Out-Default renders the output and the errors as pwsh would.
    using var pipeline = shell.Begin("& ([scriptblock]::Create($args[0])) *>&1 | Out-Default", script);
    pipeline.Invoke();
    return pipeline.HadErrors ? 1 : 0;
}
catch (RuntimeException ex)
{
    Console.Error.WriteLine(ex.ErrorRecord.ToString());
    return 1;
}
