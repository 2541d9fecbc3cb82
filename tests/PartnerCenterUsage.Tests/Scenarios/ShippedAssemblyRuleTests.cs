using System.Reflection;
using System.Runtime.Loader;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// The one rule by which the module's resolvers answer a load with one of its files (ShippedAssembly.CanServe, in the
/// built cmdlet assembly, called as the resolvers call it): another assembly's name, a higher version, another
/// public key token, and another major for a request that is not the module's own, are all refused.
/// </summary>
public sealed class ShippedAssemblyRuleTests
{
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

    private static AssemblyName Name(string text) => new(text);

    // The built cmdlet assembly, in a load context of its own: the test process never loads the module otherwise.
    private static Func<AssemblyName, AssemblyName, bool, bool> Load()
    {
        var context = new AssemblyLoadContext("shipped-assembly-rule", isCollectible: false);
        var assembly = context.LoadFromAssemblyPath(Repo.Path("out", "PartnerCenterUsage", "PartnerCenterUsage.dll"));
        var method = assembly.GetType("PartnerCenterUsage.ShippedAssembly", throwOnError: true)!
            .GetMethod("CanServe", BindingFlags.Public | BindingFlags.Static, [typeof(AssemblyName), typeof(AssemblyName), typeof(bool)])!;
        return (shipped, requested, fromModule) => (bool)method.Invoke(null, [shipped, requested, fromModule])!;
    }
}
