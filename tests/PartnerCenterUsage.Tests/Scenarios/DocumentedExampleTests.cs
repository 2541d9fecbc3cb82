using System.Text.RegularExpressions;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// Every example of docs/cmdlets runs against the simulator and writes no error, unless it is marked as needing a
/// real tenant. The hosted engine lacks Microsoft.PowerShell.Utility and Management, so the few cmdlets of those
/// that examples use get small stand-ins here; the Pester suite runs the examples' real counterparts in pwsh.
/// </summary>
public sealed partial class DocumentedExampleTests
{
    private const string NeedsRealTenant = "<!-- needs a real tenant -->";

    private const string StandIns = """
        function Export-Csv {
            param([Parameter(ValueFromPipeline)] $InputObject, [Parameter(Position = 0)] [string] $Path, [switch] $NoTypeInformation)
            begin { $rows = [System.Collections.Generic.List[object]]::new() }
            process { $rows.Add($InputObject) }
            end { [System.IO.File]::WriteAllLines([System.IO.Path]::Combine($ExampleDirectory, $Path), [string[]]@($rows | ForEach-Object { "$($_.CustomerId),$($_.ProductName)" })) }
        }
        function Get-Content { param([Parameter(Position = 0)] [string] $Path) [System.IO.File]::ReadAllLines([System.IO.Path]::Combine($ExampleDirectory, $Path)) }
        function Sort-Object {
            param([Parameter(Position = 0)] [string] $Property, [switch] $Descending, [Parameter(ValueFromPipeline)] $InputObject)
            begin { $rows = [System.Collections.Generic.List[object]]::new() }
            process { $rows.Add($InputObject) }
            end {
                $items = $rows.ToArray()
                [Array]::Sort([object[]]@($items | ForEach-Object { $_.$Property }), $items)
                if ($Descending) { [Array]::Reverse($items) }
                $items
            }
        }
        function Select-Object {
            param([int] $First, [Parameter(ValueFromPipeline)] $InputObject)
            begin { $taken = 0 }
            process { if ($taken -lt $First) { $taken++; $InputObject } }
        }
        function Format-Table { param([Parameter(Position = 0)] [object[]] $Property, [Parameter(ValueFromPipeline)] $InputObject) process { $InputObject } }
        """;

    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(Repo.Path("docs", "cmdlets"), "*-*.md").Order())
        {
            var text = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal);
            var examples = text[text.IndexOf("## EXAMPLES", StringComparison.Ordinal)..text.IndexOf("## PARAMETERS", StringComparison.Ordinal)];
            foreach (Match example in ExampleRegex().Matches(examples))
            {
                if (!example.Groups["body"].Value.Contains(NeedsRealTenant, StringComparison.Ordinal))
                {
                    data.Add($"{Path.GetFileNameWithoutExtension(file)}: {example.Groups["title"].Value.Trim()}", example.Groups["code"].Value);
                }
            }
        }

        return data;
    }

    [Fact]
    public void Examples_are_found_and_only_those_that_need_a_tenant_are_skipped()
    {
        Assert.True(Examples().Count >= 11, $"only {Examples().Count} runnable examples were found");
        Assert.DoesNotContain(Examples(), e => ((string)e[1]).Contains("-UseDeviceAuthentication", StringComparison.Ordinal) && !((string)e[1]).Contains("Get-PCContext", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task The_example_runs_against_the_simulator_without_an_error(string example, string code)
    {
        await using var scenario = await ModuleScenario.StartAsync();
        var directory = Directory.CreateTempSubdirectory("pcu-example-");
        try
        {
            File.WriteAllLines(Path.Combine(directory.FullName, "customers.txt"), scenario.Simulator.Data.Customers.Take(5).Select(c => c.Id.ToString()));
            scenario.Shell.Runspace.SessionStateProxy.SetVariable("ExampleDirectory", directory.FullName);
            scenario.Run(StandIns);
            var script = code.Replace("http://127.0.0.1:5980", scenario.Simulator.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal);

            var result = scenario.Run(script);

            Assert.True(result.Errors.Count == 0, $"{example}: {string.Join("; ", result.Errors.Select(e => e.ToString()))}");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"### (?<title>[^\n]+)\n(?<body>(?:(?!### )[^\n]*\n)*?)```powershell\n(?<code>(?s:.*?))```")]
    private static partial Regex ExampleRegex();
}
