using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// Every example of docs/cmdlets runs against the simulator and writes no error, unless it is marked as needing a
/// real tenant (<see cref="DocumentedExamples"/> finds them). The hosted engine lacks Microsoft.PowerShell.Utility and
/// Management, so the few cmdlets of those that examples use get small stand-ins here; tests/Pester/Examples.Tests.ps1
/// runs the same examples in real pwsh, with the real cmdlets.
/// </summary>
public sealed partial class DocumentedExampleTests
{
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
            param([Parameter(Position = 0)] [object[]] $Property, [int] $First = [int]::MaxValue, [Parameter(ValueFromPipeline)] $InputObject)
            begin { $taken = 0 }
            process { if ($taken -lt $First) { $taken++; $InputObject } }
        }
        function Format-Table { param([Parameter(Position = 0)] [object[]] $Property, [switch] $Wrap, [Parameter(ValueFromPipeline)] $InputObject) process { $InputObject } }
        function Format-List { param([Parameter(Position = 0)] [object[]] $Property, [Parameter(ValueFromPipeline)] $InputObject) process { $InputObject } }
        function Get-Date { [datetime]::Now }
        """;

    /// <summary>The examples of docs/cmdlets that run against the simulator (tests/Pester runs the same ones in real pwsh).</summary>
    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var example in DocumentedExamples.Runnable(Repo.Path("docs", "cmdlets")))
        {
            data.Add(example.Name, example.Code);
        }

        return data;
    }

    /// <summary>Every PowerShell example of docs/cmdlets, those that need a real tenant (and are not run) included.</summary>
    public static TheoryData<string, string> AllExamples()
    {
        var data = new TheoryData<string, string>();
        foreach (var example in DocumentedExamples.All(Repo.Path("docs", "cmdlets")))
        {
            data.Add(example.Name, example.Code);
        }

        return data;
    }

    [Fact]
    public void Examples_are_found_and_only_those_that_need_a_tenant_are_skipped()
    {
        Assert.True(Examples().Count >= 11, $"only {Examples().Count} runnable examples were found");
        Assert.DoesNotContain(Examples(), e => ((string)e[1]).Contains("-UseDeviceAuthentication", StringComparison.Ordinal) && !((string)e[1]).Contains("Get-PCContext", StringComparison.Ordinal));
    }

    /// <summary>
    /// The examples that cannot run here (a real tenant, a mail service, Task Scheduler) are still PowerShell that parses,
    /// and give the module's cmdlets only parameters they have, by name or alias, splatted hashtables included: a
    /// renamed parameter breaks the help here, not in a user's scheduled task.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllExamples))]
    public void The_example_parses_and_names_only_parameters_the_module_s_cmdlets_have(string example, string code)
    {
        var script = Parser.ParseInput(code, out _, out var parseErrors);
        Assert.True(parseErrors.Length == 0, $"{example}: {string.Join("; ", parseErrors.Select(e => e.Message))}");
        using var shell = new PartnerCenterUsage.Runner.HostedPowerShell();
        var cmdlets = shell.Invoke("Get-Command -Module PartnerCenterUsage").Objects.Cast<CommandInfo>().ToDictionary(
            c => c.Name,
            c => c.Parameters.Values.SelectMany(p => p.Aliases.Prepend(p.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase),
            StringComparer.OrdinalIgnoreCase);
        var splats = script.FindAll(a => a is AssignmentStatementAst { Left: VariableExpressionAst }, searchNestedScriptBlocks: true)
            .Cast<AssignmentStatementAst>()
            .Select(a => (Variable: ((VariableExpressionAst)a.Left).VariablePath.UserPath, Table: (HashtableAst?)a.Right.Find(h => h is HashtableAst, searchNestedScriptBlocks: false)))
            .Where(a => a.Table is not null)
            .ToDictionary(a => a.Variable, a => a.Table!.KeyValuePairs.Select(pair => pair.Item1).OfType<StringConstantExpressionAst>().Select(k => k.Value).ToList(), StringComparer.OrdinalIgnoreCase);

        foreach (var command in script.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>())
        {
            if (command.GetCommandName() is not { } name || !cmdlets.TryGetValue(name.Split('\\')[^1], out var parameters))
            {
                continue;
            }

            var given = command.CommandElements.OfType<CommandParameterAst>().Select(p => p.ParameterName)
                .Concat(command.CommandElements.OfType<VariableExpressionAst>().Where(v => v.Splatted)
                    .SelectMany(v => splats.TryGetValue(v.VariablePath.UserPath, out var keys) ? keys : []));
            foreach (var parameter in given)
            {
                Assert.True(parameters.Contains(parameter), $"{example}: {name} has no parameter -{parameter}");
            }
        }
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
            scenario.Shell.Runspace.SessionStateProxy.Path.SetLocation(directory.FullName); // files an example writes land in its directory
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

    /// <summary>
    /// The rows of one customer as Partner Center may send them: a workload a tenth used, one whose active licenses came
    /// as null and whose usage did not come at all (so UsagePercent is unknown, $null, while 100 licenses qualify), and
    /// one nine tenths used. Only the first is underused.
    /// </summary>
    private const string RowsWithAnUnknownUsage = """
        {"totalCount": 3, "items": [
          {"productName": "KNOWN LOW", "workloadName": "Exchange", "licensesActive": 10, "licensesQualified": 100, "usagePercent": 10},
          {"productName": "UNKNOWN", "workloadName": "Exchange", "licensesActive": null, "licensesQualified": 100},
          {"productName": "KNOWN HIGH", "workloadName": "Exchange", "licensesActive": 90, "licensesQualified": 100, "usagePercent": 90}
        ]}
        """;

    [Fact]
    public async Task The_README_s_underused_recipe_reports_a_known_low_usage_and_not_an_unknown_one()
    {
        // The recipe as the README writes it, ids from a file included, on rows the real cmdlet reads from the service.
        var recipe = ReadmeStatement("Get-Content customers.txt | Get-PCCustomerLicenseUsage");
        Assert.Contains("UsagePercent", recipe, StringComparison.Ordinal);
        await using var scenario = await ModuleScenario.StartAsync();
        scenario.Simulator.Faults.Add(InjectedFault.RawBody(RowsWithAnUnknownUsage, customerId: SimulatorOptions.SeedCustomerId));
        var directory = Directory.CreateTempSubdirectory("pcu-recipe-");
        try
        {
            File.WriteAllLines(Path.Combine(directory.FullName, "customers.txt"), [SimulatorOptions.SeedCustomerId.ToString()]);
            scenario.Shell.Runspace.SessionStateProxy.SetVariable("ExampleDirectory", directory.FullName);
            scenario.Run(StandIns);

            var result = scenario.Run(recipe);

            Assert.Empty(result.Errors);
            Assert.Equal(new[] { "KNOWN LOW" }, result.Output.Select(row => (string)row.Prop("ProductName")!));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Every Where-Object on UsagePercent that the README, the help and the sample report show.</summary>
    public static TheoryData<string, string> UsagePercentFilters()
    {
        var data = new TheoryData<string, string>();
        var sources = new[] { Repo.Path("README.md"), Repo.Path("src", "PartnerCenterUsage.Runner", "Program.cs") }
            .Concat(Directory.GetFiles(Repo.Path("docs"), "*.md", SearchOption.AllDirectories).Order());
        foreach (var file in sources)
        {
            foreach (var filter in WhereObjectRegex().Matches(File.ReadAllText(file)).Select(m => m.Value.Trim()).Where(f => f.Contains("UsagePercent", StringComparison.Ordinal)).Distinct())
            {
                data.Add(Path.GetRelativePath(Repo.Root, file), filter);
            }
        }

        return data;
    }

    [Fact]
    public void The_UsagePercent_filters_are_found_in_the_README_the_help_and_the_sample_report()
    {
        var files = UsagePercentFilters().Select(f => (string)f[0]).ToList();
        Assert.Contains("README.md", files);
        Assert.Contains(Path.Combine("docs", "cmdlets", "about_PartnerCenterUsage.md"), files);
        Assert.Contains(Path.Combine("docs", "cmdlets", "Get-PCCustomerLicenseUsage.md"), files);
        Assert.Contains(Path.Combine("src", "PartnerCenterUsage.Runner", "Program.cs"), files);
    }

    [Theory]
    [MemberData(nameof(UsagePercentFilters))]
    public async Task A_documented_UsagePercent_filter_passes_a_known_low_usage_and_not_an_unknown_one(string file, string filter)
    {
        await using var scenario = await ModuleScenario.StartAsync();
        scenario.Simulator.Faults.Add(InjectedFault.RawBody(RowsWithAnUnknownUsage, customerId: SimulatorOptions.SeedCustomerId));

        var result = scenario.Run($"Get-PCCustomerLicenseUsage $args[0] | {filter} | ForEach-Object ProductName", SimulatorOptions.SeedCustomerId);

        Assert.True(result.Errors.Count == 0, $"{file}: {string.Join("; ", result.Errors.Select(e => e.ToString()))}");
        Assert.True(result.Output.Select(o => o.ToString()).SequenceEqual(new[] { "KNOWN LOW" }), $"{file}: {filter} passed {string.Join(", ", result.Output)}");
    }

    [Fact]
    public void The_README_s_filter_for_Import_Csv_rows_skips_the_empty_cells_of_unknown_values()
    {
        // Import-Csv gives strings, an unknown value as '' (which [double] makes 0): rows as it makes them.
        var filter = ReadmeInlineCode("[double]$_.UsagePercent");
        using var shell = new PartnerCenterUsage.Runner.HostedPowerShell();

        var result = shell.Invoke(
            "@(@{ ProductName = 'KNOWN LOW'; UsagePercent = '10' }, @{ ProductName = 'UNKNOWN'; UsagePercent = '' }, @{ ProductName = 'KNOWN HIGH'; UsagePercent = '90' }) | " +
            "ForEach-Object { [pscustomobject]$_ } | Where-Object { " + filter + " } | ForEach-Object ProductName");

        Assert.Empty(result.Errors);
        Assert.Equal(new[] { "KNOWN LOW" }, result.Output.Select(o => o.ToString()));
    }

    /// <summary>
    /// The statement of the README's examples run by tests/Pester that starts with <paramref name="start"/>, with the
    /// lines that continue it (after a trailing |).
    /// </summary>
    internal static string ReadmeStatement(string start)
    {
        var statements = new List<string>();
        foreach (Match block in MarkedExampleRegex().Matches(ReadmeText()))
        {
            var lines = block.Groups["code"].Value.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith(start, StringComparison.Ordinal))
                {
                    var statement = new List<string> { lines[i] };
                    while (statement[^1].TrimEnd().EndsWith('|') && i + 1 < lines.Length)
                    {
                        statement.Add(lines[++i]);
                    }

                    statements.Add(string.Join("\n", statement));
                }
            }
        }

        return Assert.Single(statements);
    }

    /// <summary>The README's one inline code span that holds <paramref name="text"/>.</summary>
    private static string ReadmeInlineCode(string text) =>
        Assert.Single(InlineCodeRegex().Matches(ReadmeText()).Select(m => m.Groups["code"].Value), c => c.Contains(text, StringComparison.Ordinal));

    private static string ReadmeText() => File.ReadAllText(Repo.Path("README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);

    // As tests/Pester/TestSupport.ps1 finds the README examples it runs.
    [GeneratedRegex(@"<!-- runs in tests/Pester -->\s*\n```powershell\n(?<code>(?s:.*?))```")]
    private static partial Regex MarkedExampleRegex();

    // Where-Object with a script block on one line, or in its simplified form up to the next pipe.
    [GeneratedRegex(@"Where-Object\s+(?:\{[^{}\n]*\}|[A-Za-z]+ -[a-z]+ [^|`\n]+)")]
    private static partial Regex WhereObjectRegex();

    [GeneratedRegex(@"(?<!`)`(?<code>[^`\n]+)`(?!`)")]
    private static partial Regex InlineCodeRegex();
}
