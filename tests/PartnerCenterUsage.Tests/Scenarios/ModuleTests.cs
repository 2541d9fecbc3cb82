using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PartnerCenterUsage.Runner;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>The built module in out/ is what a user imports: a valid manifest that exports exactly its cmdlets.</summary>
public sealed class ModuleTests
{
    private static readonly string[] Cmdlets = ["Connect-PCPartner", "Disconnect-PCPartner", "Get-PCContext", "Get-PCCustomer", "Get-PCCustomerLicenseUsage"];

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
    public void The_module_folder_is_assembled_from_the_build_with_the_format_file()
    {
        var folder = System.IO.Path.GetDirectoryName(HostedPowerShell.ModuleManifestPath)!;

        Assert.True(File.Exists(System.IO.Path.Combine(folder, "PartnerCenterUsage.dll")));
        Assert.True(File.Exists(System.IO.Path.Combine(folder, "PartnerCenterUsage.Engine.dll")));
        Assert.True(File.Exists(System.IO.Path.Combine(folder, "PartnerCenterUsage.format.ps1xml")));
        Assert.False(File.Exists(System.IO.Path.Combine(folder, "System.Management.Automation.dll")), "the host supplies PowerShell");
    }
}
