using System.Management.Automation;

namespace PartnerCenterUsage;

/// <summary>
/// Runs when the module is imported: makes the engine, kept with its dependencies in Dependencies/Core (PowerShell 7)
/// or Dependencies/Desktop (Windows PowerShell 5.1), loadable. On PowerShell 7 it loads the module's small load-context
/// assembly (PartnerCenterUsage.CoreLoader); on 5.1 it reads no file. The engine loads on the first command that needs
/// it, MSAL on the first sign-in that needs it.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    /// <inheritdoc/>
    public void OnImport() => EngineLoader.Register();
}
