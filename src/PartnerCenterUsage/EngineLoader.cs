using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Threading;

namespace PartnerCenterUsage;

/// <summary>
/// Loads the engine from Dependencies/ so that its dependencies (MSAL above all) cannot clash with the versions
/// other modules (Az, Microsoft.Graph, ExchangeOnlineManagement) load into the same session.
/// <list type="bullet">
/// <item>PowerShell 7+: the engine goes into a private AssemblyLoadContext whose <c>Load</c> keeps the engine's whole
/// dependency closure inside it; the resolver answers for the engine only, never for other assemblies.</item>
/// <item>Windows PowerShell 5.1 (no load contexts): a resolver limited to the files in Dependencies/, which also
/// stands in for the binding redirects powershell.exe does not have.</item>
/// </list>
/// Types that cross from the engine to the cmdlets are the engine's own or the framework's, so they are the same
/// types on both sides.
/// </summary>
internal static class EngineLoader
{
    internal const string EngineAssemblyName = "PartnerCenterUsage.Engine";
    private static int s_registered;

    /// <summary>The folder of the engine and its dependencies for this edition, beside the cmdlet assembly: Dependencies/Core or Dependencies/Desktop.</summary>
    internal static string DependenciesDirectory { get; } =
        Path.Combine(Path.GetDirectoryName(typeof(EngineLoader).Assembly.Location) ?? string.Empty, "Dependencies", IsDesktop ? "Desktop" : "Core");

    private static bool IsDesktop => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    /// <summary>Registers the resolver once per process (a module removed and imported again reuses it).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 1)
        {
            return;
        }

        if (IsDesktop)
        {
            FrameworkResolver.Register(DependenciesDirectory);
        }
        else
        {
            // Kept in its own method so Windows PowerShell never compiles code that names AssemblyLoadContext.
            CoreResolver.Register(DependenciesDirectory);
        }
    }

    private static class CoreResolver
    {
        private static DependencyLoadContext? s_context;

        public static void Register(string directory)
        {
            s_context = new DependencyLoadContext(directory);
            AssemblyLoadContext.Default.Resolving += (_, name) =>
                string.Equals(name.Name, EngineAssemblyName, StringComparison.Ordinal) ? s_context.LoadFromAssemblyName(name) : null;
        }
    }

    private static class FrameworkResolver
    {
        // Windows PowerShell 5.1 has no load contexts and powershell.exe no binding redirects for the module's files:
        // a load that fails anywhere in the process comes here. DesktopResolver decides; any failure of its own is no
        // answer, never an exception in another module's load.
        public static void Register(string directory)
        {
            // Read on the first failed load, not at import: importing reads no file.
            var resolver = new Lazy<DesktopResolver>(() => new DesktopResolver(directory, typeof(EngineLoader).Assembly.Location), LazyThreadSafetyMode.ExecutionAndPublication);
            AppDomain.CurrentDomain.AssemblyResolve += (_, args) =>
            {
                try
                {
                    return resolver.Value.Answer(new AssemblyName(args.Name), args.RequestingAssembly)?.Load();
                }
                catch (Exception e) when (e is ArgumentException or FileLoadException or IOException or BadImageFormatException or UnauthorizedAccessException or System.Security.SecurityException)
                {
                    return null;
                }
            };
        }
    }
}

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
