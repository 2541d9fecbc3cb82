using System.Reflection;
using System.Runtime.Loader;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// The one rule by which the module's resolvers answer a load with one of its files (ShippedAssembly.CanServe, in the
/// built cmdlet assembly, called as the resolvers call it): another assembly's name, a higher version, another
/// public key token, and another major for a request that is not the module's own, are all refused. And who counts as
/// the module (DesktopResolver, what Windows PowerShell 5.1's handler answers): a shipped file loaded from where it
/// ships, as the load-from context loads them without the handler, and the cmdlet assembly; not another copy of the
/// same assembly loaded from elsewhere, nor a request that names no asker.
/// </summary>
public sealed class ShippedAssemblyRuleTests
{
    // The built cmdlet assembly, in a load context of its own: the test process never loads the module otherwise.
    private static Assembly Cmdlets { get; } = new AssemblyLoadContext("shipped-assembly-cmdlets").LoadFromAssemblyPath(Repo.Path("out", "PartnerCenterUsage", "PartnerCenterUsage.dll"));

    private static readonly Func<AssemblyName, AssemblyName, bool, bool> CanServe = Load();

    private static readonly AssemblyName Shipped = Name("System.Text.Json, Version=8.0.0.5, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51");

    [Theory]
    [InlineData("System.Text.Json, Version=8.0.0.5, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", false, true)]
    [InlineData("System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", false, true)]
    [InlineData("system.text.json, Version=8.0.0.0", false, true)]
    [InlineData("System.Text.Json", false, true)]
    [InlineData("System.Text.Json, Version=8.0.0.6, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", false, false)]
    [InlineData("System.Text.Json, Version=9.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", true, false)]
    [InlineData("System.Text.Json, Version=6.0.0.10, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", false, false)]
    [InlineData("System.Text.Json, Version=6.0.0.10, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", true, true)]
    [InlineData("System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken=0123456789abcdef", true, false)]
    [InlineData("Newtonsoft.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed", true, false)]
    [InlineData("System.Text.Json.Extra, Version=8.0.0.0", true, false)]
    public void A_file_serves_a_request_for_its_own_name_up_to_its_version_within_its_major_unless_the_module_asks(string requested, bool fromModule, bool serves)
    {
        Assert.Equal(serves, CanServe(Shipped, Name(requested), fromModule));
    }

    [Fact]
    public void A_file_without_a_strong_name_serves_a_request_that_names_none()
    {
        var engine = Name("PartnerCenterUsage.Engine, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null");

        Assert.True(CanServe(engine, Name("PartnerCenterUsage.Engine, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null"), false));
        Assert.False(CanServe(engine, Name("PartnerCenterUsage.Engine, Version=0.1.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51"), false));
    }

    [Fact]
    public void Windows_PowerShell_s_resolver_takes_a_request_as_the_module_s_own_by_where_its_asker_was_loaded_from()
    {
        var module = Repo.Path("out", "PartnerCenterUsage");
        var desktop = Path.Combine(module, "Dependencies", "Desktop");
        var resolver = Activator.CreateInstance(Cmdlets.GetType("PartnerCenterUsage.DesktopResolver", throwOnError: true)!, [desktop, Path.Combine(module, "PartnerCenterUsage.dll")])!;
        var answer = resolver.GetType().GetMethod("Answer")!;
        bool Answers(string requested, Assembly? from) => answer.Invoke(resolver, [Name(requested), from]) is not null;

        // System.Memory as the load-from context loads it beside the engine (not through the handler), and another copy
        // of it, loaded from another folder (the Core set's stands in for another module's).
        var ours = new AssemblyLoadContext("desktop-memory").LoadFromAssemblyPath(Path.Combine(desktop, "System.Memory.dll"));
        var theirs = new AssemblyLoadContext("other-memory").LoadFromAssemblyPath(Path.Combine(module, "Dependencies", "Core", "System.Memory.dll"));
        const string Unsafe4 = "System.Runtime.CompilerServices.Unsafe, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a";
        const string Unsafe6 = "System.Runtime.CompilerServices.Unsafe, Version=6.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a";

        Assert.True(Answers(Unsafe4, ours), "the module's own System.Memory asks Unsafe 4.0.4.1 and gets the shipped 6.0.0.0");
        Assert.True(Answers("System.Text.Json, Version=6.0.0.10, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", Cmdlets), "the cmdlet assembly is the module's own");
        Assert.False(Answers(Unsafe4, theirs), "another copy of System.Memory, loaded from elsewhere, is not the module's");
        Assert.True(Answers(Unsafe6, theirs), "within the shipped file's major, anyone is answered");
        Assert.False(Answers(Unsafe4, null), "a request that names no asker is not the module's");
        Assert.False(Answers("Contoso.Other, Version=1.0.0.0", ours), "a name the module does not ship");
    }

    private static AssemblyName Name(string text) => new(text);

    private static Func<AssemblyName, AssemblyName, bool, bool> Load()
    {
        var assembly = Cmdlets;
        var method = assembly.GetType("PartnerCenterUsage.ShippedAssembly", throwOnError: true)!
            .GetMethod("CanServe", BindingFlags.Public | BindingFlags.Static, [typeof(AssemblyName), typeof(AssemblyName), typeof(bool)])!;
        return (shipped, requested, fromModule) => (bool)method.Invoke(null, [shipped, requested, fromModule])!;
    }
}
