using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace PartnerCenterUsage;

/// <summary>
/// What Windows PowerShell 5.1's AssemblyResolve handler answers (EngineLoader registers it over Dependencies/Desktop).
/// The handler is process-wide: every failed load of every module comes to it. It answers with one of the module's
/// files only where the file can serve the request (<see cref="ShippedAssembly.CanServe(AssemblyName, AssemblyName, bool)"/>),
/// and a request counts as the module's own only when the asking assembly is the cmdlet assembly or one of the shipped
/// files, told by the path it was loaded from: the load-from context loads the shipped files the engine needs by
/// itself, at the versions they were built against, so most of the module's requests come from files this handler
/// never loaded; and another module's copy of the same assembly, loaded from its own folder, is never the module's.
/// </summary>
internal sealed class DesktopResolver
{
    private readonly Dictionary<string, ShippedAssembly> _shipped = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _paths = new(StringComparer.OrdinalIgnoreCase);
    private readonly string? _cmdlets;

    /// <summary>A resolver of the files in <paramref name="directory"/> for the cmdlet assembly at <paramref name="cmdletAssemblyPath"/>.</summary>
    public DesktopResolver(string directory, string? cmdletAssemblyPath)
    {
        _cmdlets = Full(cmdletAssemblyPath);
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var path in Directory.GetFiles(directory, "*.dll"))
        {
            try
            {
                var file = ShippedAssembly.Read(path);
                _shipped[file.Name.Name ?? string.Empty] = file;
                _paths.Add(Full(path)!);
            }
            catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                // A native library, or a file that cannot be read: nothing this resolver can give.
            }
        }
    }

    /// <summary>The shipped file that answers a load of <paramref name="requested"/> asked by <paramref name="from"/>; null for every other.</summary>
    public ShippedAssembly? Answer(AssemblyName requested, Assembly? from)
    {
        if (requested is null || !_shipped.TryGetValue(requested.Name ?? string.Empty, out var file))
        {
            return null;
        }

        return file.CanServe(requested, IsModule(from)) ? file : null;
    }

    /// <summary>Whether <paramref name="assembly"/> is one of the module's own files: the cmdlet assembly, or a shipped file loaded from where it ships.</summary>
    public bool IsModule(Assembly? assembly)
    {
        if (assembly is null || assembly.IsDynamic)
        {
            return false;
        }

        string? location;
        try
        {
            location = Full(assembly.Location);
        }
        catch (NotSupportedException)
        {
            return false;
        }

        return location is not null && (string.Equals(location, _cmdlets, StringComparison.OrdinalIgnoreCase) || _paths.Contains(location));
    }

    private static string? Full(string? path) => string.IsNullOrEmpty(path) ? null : Path.GetFullPath(path);
}
