using System;
using System.Runtime.Loader;

namespace PartnerCenterUsage;

/// <summary>
/// PowerShell 7's side of the module's loader: the engine goes into a private load context (DependencyLoadContext)
/// whose Load keeps the engine's whole dependency closure inside it; the default context's resolver answers for the
/// engine only, never for other assemblies. The cmdlet assembly calls <see cref="Register"/> by reflection, once per
/// process, on PowerShell 7 only.
/// </summary>
public static class EngineContext
{
    private static DependencyLoadContext? s_context;

    /// <summary>Makes <paramref name="engineName"/> loadable from <paramref name="directory"/> into the module's own load context.</summary>
    public static void Register(string directory, string engineName)
    {
        s_context = new DependencyLoadContext(directory);
        AssemblyLoadContext.Default.Resolving += (_, name) =>
            string.Equals(name.Name, engineName, StringComparison.Ordinal) ? s_context.LoadFromAssemblyName(name) : null;
    }
}
