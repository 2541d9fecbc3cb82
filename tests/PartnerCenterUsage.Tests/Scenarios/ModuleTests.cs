using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PartnerCenterUsage.Runner;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>The built module in out/ is what a user imports: a valid manifest that exports exactly its cmdlets.</summary>
public sealed class ModuleTests
{
    private static readonly string[] Cmdlets = ["Connect-PCPartner", "Disconnect-PCPartner", "Export-PCLicenseReport", "Get-PCContext", "Get-PCCustomer", "Get-PCCustomerLicenseDeployment", "Get-PCCustomerLicenseUsage", "Get-PCCustomerSubscribedSku", "Get-PCCustomerSubscription", "Get-PCLicenseDeployment", "Get-PCLicenseReduction", "Get-PCLicenseUsage", "Get-PCPartnerLicenseDeployment", "Get-PCPartnerLicenseUsage", "Import-PCLicenseReport"];

    [Fact]
    public void Test_ModuleManifest_passes_on_the_built_manifest_with_the_version_of_Directory_Build_props()
    {
        using var shell = new HostedPowerShell(importModule: false);

        var manifest = (PSModuleInfo)shell.Invoke("Test-ModuleManifest -Path $args[0] -ErrorAction Stop", HostedPowerShell.ModuleManifestPath).Objects.Single();

        Assert.Equal(Version.Parse(Repo.Version), manifest.Version);
        Assert.Equal(Cmdlets, manifest.ExportedCmdlets.Keys.Order());
        Assert.Empty(manifest.ExportedFunctions);
        Assert.Empty(manifest.ExportedAliases);
        Assert.Empty(manifest.ExportedVariables);
        Assert.Equal(["Core", "Desktop"], manifest.CompatiblePSEditions.Order());
        Assert.Equal(new Version(5, 1), manifest.PowerShellVersion);
        Assert.Equal("PartnerCenterUsage.dll", System.IO.Path.GetFileName(manifest.RootModule));
        Assert.False(string.IsNullOrWhiteSpace(manifest.Description));
        Assert.NotNull(manifest.ProjectUri);
        Assert.NotNull(manifest.LicenseUri);
        Assert.False(string.IsNullOrWhiteSpace(manifest.ReleaseNotes));
        Assert.Superset(new HashSet<string> { "PartnerCenter", "CSP", "Licensing", "Microsoft365" }, manifest.Tags.ToHashSet());
    }

    [Fact]
    public void The_manifest_lists_no_exports_by_wildcard()
    {
        var ast = Parser.ParseFile(Repo.Path("PartnerCenterUsage.psd1"), out _, out var errors);
        Assert.Empty(errors);
        var data = (Hashtable)ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false)!.SafeGetValue();
        foreach (var key in new[] { "CmdletsToExport", "FunctionsToExport", "AliasesToExport", "VariablesToExport" })
        {
            Assert.True(data.ContainsKey(key), key + " must be listed: a missing entry means '*'");
            var values = data[key] is object[] array ? array.Cast<string>() : [(string)data[key]!];
            Assert.DoesNotContain(values, v => v.Contains('*', StringComparison.Ordinal));
        }
    }

    public static TheoryData<string> ScriptsForPwshUsers() =>
        new(new[] { "build.ps1", "tests/Windows/Test-WindowsPowerShell.ps1" }.Concat(Directory.GetFiles(Repo.Path("tests", "Pester"), "*.ps1").Order().Select(f => "tests/Pester/" + System.IO.Path.GetFileName(f))));

    [Theory]
    [MemberData(nameof(ScriptsForPwshUsers))]
    public void The_scripts_for_pwsh_users_parse_without_errors(string script)
    {
        Parser.ParseFile(Repo.Path(script.Split('/')), out _, out var errors);

        Assert.Empty(errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}"));
    }

    [Fact]
    public void Build_ps1_completes_and_accepts_exactly_the_documented_tasks()
    {
        var ast = Parser.ParseFile(Repo.Path("build.ps1"), out _, out _);
        var task = ast.ParamBlock!.Parameters.Single(p => p.Name.VariablePath.UserPath == "Task");
        var completions = task.Attributes.OfType<AttributeAst>().Single(a => a.TypeName.Name == "ArgumentCompletions");
        string[] documented = ["Clean", "Build", "Test", "Docs", "Package", "Screenshot"];

        Assert.Equal(documented, completions.PositionalArguments.Cast<StringConstantExpressionAst>().Select(s => s.Value));
        var validation = task.Attributes.OfType<AttributeAst>().Single(a => a.TypeName.Name == "ValidateScript").Extent.Text;
        Assert.Contains(string.Join(", ", documented.Select(t => $"'{t}'")), validation, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_Module_exports_exactly_the_cmdlets_of_the_assembly_each_with_an_output_type()
    {
        using var shell = new HostedPowerShell();

        var commands = shell.Invoke("Get-Command -Module PartnerCenterUsage").Objects.Cast<CommandInfo>().ToList();

        Assert.Equal(Cmdlets, commands.Select(c => c.Name).Order());
        Assert.All(commands, c => Assert.Equal(CommandTypes.Cmdlet, c.CommandType));
        Assert.All(commands, c => Assert.NotEmpty(c.OutputType));
    }

    [Fact]
    public void The_module_folder_has_the_cmdlets_at_the_top_and_the_engine_with_all_its_dependencies_under_Dependencies()
    {
        var folder = System.IO.Path.GetDirectoryName(HostedPowerShell.ModuleManifestPath)!;

        Assert.Equal(
            ["PartnerCenterUsage.dll", "PartnerCenterUsage.format.ps1xml", "PartnerCenterUsage.psd1"],
            Directory.GetFiles(folder).Select(System.IO.Path.GetFileName).Order());
        Assert.Equal(["Core", "Desktop"], Directory.GetDirectories(System.IO.Path.Combine(folder, "Dependencies")).Select(System.IO.Path.GetFileName).Order());
        Assert.Empty(Directory.GetFiles(System.IO.Path.Combine(folder, "Dependencies")));
        var dependencies = Directory.GetFiles(System.IO.Path.Combine(folder, "Dependencies", "Core")).Select(System.IO.Path.GetFileName).ToList();
        Assert.Contains("System.ValueTuple.dll", Directory.GetFiles(System.IO.Path.Combine(folder, "Dependencies", "Desktop")).Select(System.IO.Path.GetFileName));
        Assert.Contains("PartnerCenterUsage.Engine.dll", dependencies);
        Assert.Contains("Microsoft.Identity.Client.dll", dependencies);
        // The retry policy is the transport's own loop: no resilience library, and none of its dependencies, ships.
        Assert.DoesNotContain("Polly.Core.dll", dependencies);
        Assert.DoesNotContain("System.ComponentModel.Annotations.dll", dependencies);
        Assert.Contains("System.Text.Json.dll", dependencies);
        Assert.DoesNotContain("System.Management.Automation.dll", dependencies);
        Assert.DoesNotContain("System.Runtime.Loader.dll", dependencies);
        Assert.Contains("PartnerCenterUsage.CoreLoader.dll", dependencies);
        Assert.DoesNotContain("PartnerCenterUsage.CoreLoader.dll", Directory.GetFiles(System.IO.Path.Combine(folder, "Dependencies", "Desktop")).Select(System.IO.Path.GetFileName));
        Assert.True(File.Exists(System.IO.Path.Combine(folder, "en-US", "PartnerCenterUsage.dll-Help.xml")));
    }

    [Fact]
    public void The_cmdlet_assembly_references_only_the_engine_and_the_platform_so_nothing_else_crosses_into_the_default_context()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(HostedPowerShell.ModuleManifestPath)!, "PartnerCenterUsage.dll");
        using var stream = File.OpenRead(path);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);

        var references = metadata.AssemblyReferences.Select(r => metadata.GetString(metadata.GetAssemblyReference(r).Name)).Order();

        // No System.Runtime.Loader: .NET Framework has none, and PowerShell 7's load context lives in PartnerCenterUsage.CoreLoader.
        Assert.Equal(["netstandard", "PartnerCenterUsage.Engine", "System.Management.Automation"], references);
    }
}
