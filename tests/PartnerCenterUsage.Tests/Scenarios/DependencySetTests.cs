using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using PartnerCenterUsage.Tests.Support;
using Xunit.Abstractions;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// The module's two dependency sets, checked from Linux as far as metadata can check them (Windows PowerShell 5.1
/// itself cannot run here): Dependencies/Desktop, the engine's net472 build, must resolve by name and version against
/// .NET Framework 4.7.2; Dependencies/Core, its netstandard2.0 build, against .NET 8 (PowerShell 7.4). Every reference a
/// shipped file answers at another version than asked for is a binding redirect the resolver stands in for: they are
/// listed in docs/dependency-sets.md, and a change to them fails here until the page says so. No Desktop file is a
/// "platform not supported" stub; the cmdlet assembly shares nothing with either set but the engine.
/// </summary>
public sealed class DependencySetTests(ITestOutputHelper output)
{
    private static readonly string Module = Repo.Path("out", "PartnerCenterUsage");
    private static readonly string DesktopFramework = Metadata("DesktopFramework");
    private static readonly string CoreFramework = Metadata("CoreFramework");

    public static TheoryData<string> Sets => ["Desktop", "Core"];

    [Theory]
    [MemberData(nameof(Sets))]
    public void Every_reference_of_the_set_resolves_to_its_framework_or_to_a_file_the_resolver_gives_for_it(string set)
    {
        var closure = Closure(set);

        output.WriteLine(Table(closure));
        Assert.Empty(closure.Problems);
        Assert.Contains(closure.Answered, a => a.From == "PartnerCenterUsage.Engine" && a.Name == "Microsoft.Identity.Client");
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void The_redirects_the_resolver_stands_in_for_are_the_ones_the_docs_list(string set)
    {
        var table = Table(Closure(set));
        var page = File.ReadAllText(Repo.Path("docs", "dependency-sets.md"));
        var start = "<!-- redirects " + set + " -->\n";
        var at = page.IndexOf(start, StringComparison.Ordinal);
        Assert.True(at >= 0, "docs/dependency-sets.md has the section " + start.Trim());
        var end = page.IndexOf("<!-- end -->", at, StringComparison.Ordinal);

        Assert.True(page[(at + start.Length)..end] == table, "docs/dependency-sets.md should list, for " + set + ":\n" + table);
    }

    [Fact]
    public void No_file_of_the_Desktop_set_is_a_platform_not_supported_stub()
    {
        var desktop = Directory.GetFiles(Path.Combine(Module, "Dependencies", "Desktop"), "*.dll");

        Assert.Empty(desktop.Where(DependencyClosure.IsStub).Select(Path.GetFileName));
        Assert.DoesNotContain(desktop, f => Path.GetFileName(f) == "System.Security.Cryptography.Cng.dll");
    }

    [Fact]
    public void Yesterday_s_single_set_would_have_given_Windows_PowerShell_stubs_that_throw_PlatformNotSupportedException()
    {
        // What the module shipped for both editions until it had two: its netstandard2.0 set. Its references resolve on
        // .NET Framework 4.7.2 by name and version, but some of its files are stubs whose real code NuGet puts only in
        // runtimes/win/ or in the netfx assets: on 5.1 every call into them would throw. (PowerShell 7 replaces them
        // with its own copies: DependenciesTests.)
        var core = Path.Combine(Module, "Dependencies", "Core");
        var closure = DependencyClosure.Of("netstandard2.0 on Desktop", core, DesktopFramework, Path.Combine(DesktopFramework, "Facades"));
        var stubs = Directory.GetFiles(core, "*.dll").Where(DependencyClosure.IsStub).Select(Path.GetFileNameWithoutExtension).Order().ToList();

        output.WriteLine("stubs: " + string.Join(", ", stubs));
        output.WriteLine(string.Join("\n", closure.Problems));
        Assert.Contains("System.Security.Cryptography.Cng", stubs);
        Assert.Contains("System.Security.AccessControl", stubs);
        Assert.DoesNotContain("System.Security.Cryptography.ProtectedData", stubs);
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void The_cmdlet_assembly_shares_nothing_with_the_set_but_the_engine(string set)
    {
        var names = Directory.GetFiles(Path.Combine(Module, "Dependencies", set), "*.dll").Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.OrdinalIgnoreCase);
        using var stream = File.OpenRead(Path.Combine(Module, "PartnerCenterUsage.dll"));
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();

        var shared = reader.AssemblyReferences.Select(r => reader.GetString(reader.GetAssemblyReference(r).Name)).Where(names.Contains);

        Assert.Equal(["PartnerCenterUsage.Engine"], shared);
    }

    [Fact]
    public void On_Desktop_the_cmdlet_assembly_needs_only_the_framework_the_host_s_PowerShell_and_the_engine()
    {
        using var stream = File.OpenRead(Path.Combine(Module, "PartnerCenterUsage.dll"));
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var framework = DependencyClosure.Of("Desktop", Path.Combine(Module, "Dependencies", "Desktop"), DesktopFramework, Path.Combine(DesktopFramework, "Facades")).Framework;

        var references = reader.AssemblyReferences.Select(r => reader.GetAssemblyReference(r)).Select(r => (Name: reader.GetString(r.Name), r.Version)).ToList();
        var unresolved = references
            .Where(r => r.Name is not "System.Management.Automation" and not "PartnerCenterUsage.Engine")
            .Where(r => !framework.TryGetValue(r.Name, out var version) || version < r.Version)
            .Select(r => r.Name + " " + r.Version);

        // System.Management.Automation is the host's (5.1's is 3.0.0.0, what PowerShellStandard compiles against).
        Assert.Empty(unresolved);
        Assert.Equal(new Version(3, 0, 0, 0), references.Single(r => r.Name == "System.Management.Automation").Version);
    }

    private static DependencyClosure Closure(string set) => set == "Desktop"
        ? DependencyClosure.Of(set, Path.Combine(Module, "Dependencies", set), DesktopFramework, Path.Combine(DesktopFramework, "Facades"))
        : DependencyClosure.Of(set, Path.Combine(Module, "Dependencies", set), CoreFramework);

    private static string Table(DependencyClosure closure)
    {
        var lines = new List<string> { "| referenced by | assembly | asks for | ships |", "| --- | --- | --- | --- |" };
        lines.AddRange(closure.Redirects
            .OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.From, StringComparer.Ordinal).ThenBy(r => r.Asked)
            .Select(r => $"| {r.From} | {r.Name} | {r.Asked} | {r.Shipped} |"));
        return string.Join("\n", lines) + "\n";
    }

    private static string Metadata(string key) =>
        typeof(DependencySetTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
