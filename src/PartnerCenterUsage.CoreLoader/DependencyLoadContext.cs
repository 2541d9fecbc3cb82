using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace PartnerCenterUsage;

/// <summary>
/// The private load context of the engine: an assembly found in Dependencies/ loads here, so MSAL and the rest never
/// fall back to the default context, unless the framework's own copy is at least as new (System.Text.Json,
/// System.Memory...), which is then shared so framework types stay one type.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _directory;
    private readonly Lazy<Dictionary<string, string>> _platform = new(ReadPlatformAssemblies);

    public DependencyLoadContext(string directory)
    {
        _directory = directory;
    }

    /// <inheritdoc/>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var name = assemblyName.Name ?? string.Empty;
        var candidate = Path.Combine(_directory, name + ".dll");
        // Every load this context is asked for comes from the engine's closure, the module's own files.
        if (!File.Exists(candidate) || !ShippedAssembly.CanServe(AssemblyName.GetAssemblyName(candidate), assemblyName, fromModule: true))
        {
            return null;
        }

        if (_platform.Value.TryGetValue(name, out var platformPath)
            && AssemblyName.GetAssemblyName(platformPath).Version >= AssemblyName.GetAssemblyName(candidate).Version)
        {
            return null;
        }

        return LoadFromAssemblyPath(candidate);
    }

    private static Dictionary<string, string> ReadPlatformAssemblies()
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        foreach (var path in list.Split(Path.PathSeparator))
        {
            if (path.Length > 0)
            {
                result[Path.GetFileNameWithoutExtension(path)] = path;
            }
        }

        return result;
    }
}
