using System;
using System.Reflection;
using System.Threading;

namespace PartnerCenterUsage;

/// <summary>
/// One file of the module's dependency set, and the one rule by which it answers a load: the name is the file's, the
/// file's version is at least the one asked for, a strong name asked for is the file's own, and the major version is the
/// same unless the request comes from the module's own files. Those are built against each other as NuGet resolved
/// them (MSAL asks System.Text.Json 6 and gets the module's 8, as the binding redirects of an application would give
/// it); another module's request is served only by a file that can stand in for the one it was built against. Both
/// editions' resolvers use it, so neither answers a request its file cannot serve: another module's assembly, a
/// higher version, another major.
/// </summary>
internal sealed class ShippedAssembly
{
    private readonly Lazy<Assembly> _assembly;

    private ShippedAssembly(string path, AssemblyName name)
    {
        Path = path;
        Name = name;
        _assembly = new Lazy<Assembly>(() => Assembly.LoadFrom(path), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Its assembly name, version and public key token.</summary>
    public AssemblyName Name { get; }

    /// <summary>Reads the name of the file at <paramref name="path"/> without loading it.</summary>
    public static ShippedAssembly Read(string path) => new(path, AssemblyName.GetAssemblyName(path));

    /// <summary>
    /// Whether an assembly named <paramref name="shipped"/> can serve a load of <paramref name="requested"/>: same name
    /// (ignoring case), a version at least the one asked for (none asked: any), the same public key token when the
    /// request names one, and the same major version unless <paramref name="fromModule"/> (the request is one of the
    /// module's own files').
    /// </summary>
    public static bool CanServe(AssemblyName shipped, AssemblyName requested, bool fromModule)
    {
        if (shipped is null)
        {
            throw new ArgumentNullException(nameof(shipped));
        }

        if (requested is null)
        {
            throw new ArgumentNullException(nameof(requested));
        }

        if (!string.Equals(shipped.Name, requested.Name, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (requested.Version is { } asked && (shipped.Version is not { } version || version < asked || (!fromModule && version.Major != asked.Major)))
        {
            return false;
        }

        var token = requested.GetPublicKeyToken();
        return token is null || token.Length == 0 || Same(token, shipped.GetPublicKeyToken());
    }

    /// <summary>Whether this file can serve a load of <paramref name="requested"/> (see <see cref="CanServe(AssemblyName, AssemblyName, bool)"/>).</summary>
    public bool CanServe(AssemblyName requested, bool fromModule) => CanServe(Name, requested, fromModule);

    /// <summary>The file's assembly, loaded once.</summary>
    public Assembly Load() => _assembly.Value;

    private static bool Same(byte[] a, byte[]? b)
    {
        if (b is null || a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }
}
