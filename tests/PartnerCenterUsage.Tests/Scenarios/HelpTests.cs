using System.Management.Automation;
using PartnerCenterUsage.Runner;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>Get-Help works for every cmdlet, and the docs it comes from cannot drift from the compiled cmdlets.</summary>
public sealed class HelpTests : IDisposable
{
    private static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    private readonly HostedPowerShell _shell = new();

    public static TheoryData<string> Cmdlets
    {
        get
        {
            using var shell = new HostedPowerShell();
            var data = new TheoryData<string>();
            foreach (var name in shell.Invoke("(Get-Command -Module PartnerCenterUsage).Name").Objects.Cast<string>())
            {
                data.Add(name);
            }

            return data;
        }
    }

    [Fact]
    public void Every_exported_cmdlet_has_a_page_in_docs_and_every_page_an_exported_cmdlet()
    {
        var pages = Directory.GetFiles(Repo.Path("docs", "cmdlets"), "*-*.md").Select(Path.GetFileNameWithoutExtension).Order();
        var cmdlets = _shell.Invoke("(Get-Command -Module PartnerCenterUsage).Name").Objects.Cast<string>().Order();

        Assert.Equal(cmdlets, pages);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Get_Help_Full_shows_synopsis_description_every_parameter_and_examples(string cmdlet)
    {
        var help = _shell.Invoke("Get-Help $args[0] -Full", cmdlet).Output.Single();

        Assert.False(string.IsNullOrWhiteSpace(help.Prop("Synopsis") as string));
        Assert.DoesNotContain(cmdlet + " ", (string)help.Prop("Synopsis")!, StringComparison.Ordinal); // not the syntax PowerShell makes up without help
        Assert.NotEmpty(Texts(help, "description"));
        var examples = _shell.Invoke("(Get-Help $args[0] -Full).examples.example", cmdlet).Output;
        Assert.NotEmpty(examples);
        Assert.All(examples, e => Assert.False(string.IsNullOrWhiteSpace(e.Prop("code") as string)));
        foreach (var parameter in DocumentedParameters(cmdlet))
        {
            Assert.True(parameter.Description.Length > 0, $"-{parameter.Name} of {cmdlet} has no description");
        }
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void The_documented_parameters_match_the_compiled_ones_in_name_type_aliases_and_pipeline_binding(string cmdlet)
    {
        var command = (CommandInfo)_shell.Invoke("Get-Command $args[0]", cmdlet).Objects.Single();
        var compiled = command.Parameters.Values.Where(p => !CommonParameters.Contains(p.Name)).ToDictionary(p => p.Name);
        var documented = DocumentedParameters(cmdlet).ToDictionary(p => p.Name);

        Assert.Equal(compiled.Keys.Order(), documented.Keys.Order());
        foreach (var (name, doc) in documented)
        {
            var actual = compiled[name];
            Assert.True(actual.ParameterType.Name == doc.Type, $"-{name}: documented {doc.Type}, compiled {actual.ParameterType.Name}");
            Assert.Equal(actual.Aliases.Order(), doc.Aliases.Order());
            var binding = actual.ParameterSets.Values.First();
            var pipeline = (binding.ValueFromPipelineByPropertyName ? "ByPropertyName" : null, binding.ValueFromPipeline ? "ByValue" : null) switch
            {
                (null, null) => "False",
                var (byName, byValue) => $"True ({string.Join(", ", new[] { byName, byValue }.Where(x => x is not null))})",
            };
            Assert.True(pipeline == doc.Pipeline, $"-{name}: documented pipeline input '{doc.Pipeline}', compiled '{pipeline}'");
        }
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Each_parameter_set_is_documented_with_the_compiled_mandatory_flags_and_positions(string cmdlet)
    {
        var command = (CommandInfo)_shell.Invoke("Get-Command $args[0]", cmdlet).Objects.Single();
        var syntax = _shell.Invoke(
            "$i = 0; foreach ($item in (Get-Help $args[0] -Full).syntax.syntaxItem) { [pscustomobject]@{ Item = $i; Name = $null }; foreach ($p in $item.parameter) { [pscustomobject]@{ Item = $i; Name = $p.name; Required = $p.required; Position = $p.position } }; $i++ }",
            cmdlet).Output
            .GroupBy(p => p.Prop<int>("Item"))
            .Select(g => g.Where(p => p.Prop("Name") is not null).ToDictionary(p => (string)p.Prop("Name")!, p => (Required: (string)p.Prop("Required")!, Position: (string)p.Prop("Position")!)))
            .ToList();

        Assert.Equal(command.ParameterSets.Count, syntax.Count);
        foreach (var set in command.ParameterSets)
        {
            var parameters = set.Parameters.Where(p => !CommonParameters.Contains(p.Name)).ToList();
            var documented = syntax.SingleOrDefault(s => s.Keys.Order().SequenceEqual(parameters.Select(p => p.Name).Order()));
            Assert.True(documented is not null, $"{cmdlet}: no documented syntax has exactly the parameters of set {set.Name}");
            foreach (var parameter in parameters)
            {
                var (required, position) = documented![parameter.Name];
                Assert.True(parameter.IsMandatory == (required == "true"), $"{cmdlet} {set.Name} -{parameter.Name}: documented required={required}");
                var expectedPosition = parameter.Position == int.MinValue ? "named" : parameter.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(expectedPosition == position, $"{cmdlet} {set.Name} -{parameter.Name}: documented position {position}, compiled {expectedPosition}");
            }
        }
    }

    [Fact]
    public void Get_Help_about_PartnerCenterUsage_explains_the_concepts()
    {
        var text = string.Join("\n", _shell.Invoke("Get-Help about_PartnerCenterUsage").Objects.Select(o => o.ToString()));

        foreach (var section in new[] { "THE CONNECTION BELONGS TO THE SESSION", "WAYS TO SIGN IN", "MULTI-FACTOR AUTHENTICATION", "THROTTLING AND RETRIES", "LICENSE REPORTS", "CONCURRENCY", "ERRORS", "WORKING OFFLINE WITH THE SIMULATOR" })
        {
            Assert.Contains(section, text, StringComparison.Ordinal);
        }

        Assert.Contains("Get-PCCustomer | Get-PCCustomerLicenseUsage", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_ErrorId_is_explained_in_the_about_topic()
    {
        var text = File.ReadAllText(Repo.Path("docs", "cmdlets", "about_PartnerCenterUsage.md"));
        var ids = _shell.Invoke("[PartnerCenterUsage.ErrorIds].GetFields().Name").Objects.Cast<string>().ToList();

        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Contains(id, text, StringComparison.Ordinal));
    }

    [Fact]
    public void The_README_s_error_table_lists_exactly_the_module_s_ErrorIds()
    {
        // The rows of the table under "## Errors": the first cell names one or more ids, each in backticks.
        var readme = File.ReadAllText(Repo.Path("README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var section = readme[readme.IndexOf("\n## Errors\n", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        var table = section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal));
        var documented = table
            .SelectMany(l => System.Text.RegularExpressions.Regex.Matches(l.Split('|')[1], "`([A-Za-z]+)`").Select(m => m.Groups[1].Value))
            .ToList();
        var ids = _shell.Invoke("[PartnerCenterUsage.ErrorIds].GetFields().Name").Objects.Cast<string>().ToList();

        Assert.NotEmpty(ids);
        Assert.Equal(documented.Distinct().Count(), documented.Count);
        Assert.Equal(ids.Order(), documented.Order());
    }

    public void Dispose() => _shell.Dispose();

    private List<(string Name, string Type, string[] Aliases, string Pipeline, string Description)> DocumentedParameters(string cmdlet) =>
        _shell.Invoke(
            "foreach ($p in (Get-Help $args[0] -Full).parameters.parameter) { [pscustomobject]@{ Name = $p.name; Type = $p.type.name; Aliases = $p.aliases; Pipeline = $p.pipelineInput; Description = (($p.description | ForEach-Object Text) -join ' ') } }",
            cmdlet).Output
            .Select(p => ((string)p.Prop("Name")!, (string)p.Prop("Type")!,
                p.Prop("Aliases") is string aliases && aliases != "none" ? aliases.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [],
                (string)p.Prop("Pipeline")!, (string?)p.Prop("Description") ?? string.Empty))
            .ToList();

    private static string[] Texts(PSObject help, string property) =>
        help.Prop(property) is object[] items ? items.Select(i => PSObject.AsPSObject(i).Prop("Text") as string ?? string.Empty).Where(t => t.Length > 0).ToArray() : [];
}
