using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
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
            CoreResolver.Register(DependenciesDirectory);
        }
    }

    private static class CoreResolver
    {
        // The load context lives in PartnerCenterUsage.CoreLoader (Dependencies/Core), so that this assembly, which
        // Windows PowerShell loads too, names nothing .NET Framework lacks.
        public static void Register(string directory)
        {
            var loader = Assembly.LoadFrom(Path.Combine(directory, "PartnerCenterUsage.CoreLoader.dll"));
            loader.GetType("PartnerCenterUsage.EngineContext", throwOnError: true)!
                .GetMethod("Register", BindingFlags.Public | BindingFlags.Static)!
                .Invoke(null, [directory, EngineAssemblyName]);
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
