using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// What ships in out/PartnerCenterUsage/Dependencies/Core/ (PowerShell 7's set) is real where the saved token cache needs it: netstandard2.0
/// packages may carry "platform not supported" stubs whose real code sits in runtimes/win/, which a module folder
/// does not get.
/// </summary>
public sealed class DependenciesTests
{
    private static readonly string Dependencies = Repo.Path("out", "PartnerCenterUsage", "Dependencies", "Core");

    [Fact]
    public void ProtectedData_is_DPAPI_itself_not_a_platform_not_supported_stub()
    {
        var path = Path.Combine(Dependencies, "System.Security.Cryptography.ProtectedData.dll");

        Assert.True(File.Exists(path), "the encrypted cache on Windows needs ProtectedData");
        Assert.Contains("CryptProtectData", PlatformImports(path));
        Assert.Contains("CryptUnprotectData", PlatformImports(path));
    }

    [Fact]
    public void Every_stub_that_ships_is_one_PowerShell_7_replaces_with_the_platforms_own_copy()
    {
        // DependencyLoadContext uses the platform's copy when it is at least as new; only then is a stub never loaded.
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.Length > 0)
            .GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var stubs = Directory.GetFiles(Dependencies, "*.dll").Where(IsStub).ToList();

        Assert.DoesNotContain(stubs, s => Path.GetFileName(s) == "System.Security.Cryptography.ProtectedData.dll");
        foreach (var stub in stubs)
        {
            var name = Path.GetFileNameWithoutExtension(stub);
            Assert.True(platform.TryGetValue(name, out var own), $"{name} is a platform-not-supported stub that PowerShell 7 does not replace");
            Assert.True(AssemblyName.GetAssemblyName(own!).Version >= AssemblyName.GetAssemblyName(stub).Version, $"{name}: the platform's copy is older than the stub");
        }
    }

    /// <summary>A stub throws PlatformNotSupportedException from every member: it has the message and calls into no native library.</summary>
    private static bool IsStub(string path)
    {
        var text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(path));
        return text.Contains("PlatformNotSupported_", StringComparison.Ordinal) && PlatformImports(path).Count == 0;
    }

    private static List<string> PlatformImports(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        return reader.MethodDefinitions
            .Select(h => reader.GetMethodDefinition(h).GetImport())
            .Where(i => !i.Name.IsNil)
            .Select(i => reader.GetString(i.Name))
            .ToList();
    }
}
