using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>
/// The metadata closure of one of the module's dependency sets against a framework's reference assemblies, read with
/// System.Reflection.Metadata (nothing is loaded): each assembly reference of each shipped file resolves to the
/// framework (a framework assembly of at least the version asked for), or to a shipped file by the module's resolver
/// rule for its own requests (same name, at least the version asked for); anything else is a problem. The references a shipped
/// file answers at another version than asked for are the binding redirects a host without the resolver would need.
/// </summary>
public sealed class DependencyClosure
{
    private DependencyClosure(string set, IReadOnlyDictionary<string, (Version Version, string Path)> shipped, IReadOnlyDictionary<string, Version> framework)
    {
        Set = set;
        Shipped = shipped;
        Framework = framework;
        var problems = new List<string>();
        var answered = new List<(string From, string Name, Version Asked, Version Shipped)>();
        foreach (var (name, file) in shipped.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            foreach (var reference in References(file.Path))
            {
                var asked = reference.Version ?? new Version(0, 0);
                if (framework.TryGetValue(reference.Name!, out var own) && own >= asked)
                {
                    continue;
                }

                if (shipped.TryGetValue(reference.Name!, out var ship))
                {
                    // A shipped file's references are the module's own requests: any version up to the shipped one serves.
                    if (ship.Version >= asked)
                    {
                        answered.Add((name, reference.Name!, asked, ship.Version));
                        continue;
                    }

                    problems.Add($"{name} asks for {reference.Name} {asked}, the set has {ship.Version}, which the resolver does not give for it");
                    continue;
                }

                problems.Add(framework.TryGetValue(reference.Name!, out var older)
                    ? $"{name} asks for {reference.Name} {asked}; the framework has only {older}, and the set has none"
                    : $"{name} asks for {reference.Name} {asked}, which neither the framework nor the set has");
            }
        }

        Problems = problems;
        Answered = answered;
    }

    /// <summary>The set's name (Core, Desktop).</summary>
    public string Set { get; }

    /// <summary>The shipped files: assembly name, version and path.</summary>
    public IReadOnlyDictionary<string, (Version Version, string Path)> Shipped { get; }

    /// <summary>The framework's assemblies: name and version.</summary>
    public IReadOnlyDictionary<string, Version> Framework { get; }

    /// <summary>References that resolve nowhere, or to a shipped file that cannot serve them.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Every reference a shipped file answers (the framework has no such assembly, or an older one).</summary>
    public IReadOnlyList<(string From, string Name, Version Asked, Version Shipped)> Answered { get; }

    /// <summary>The references answered at another version than asked: the binding redirects a host would need.</summary>
    public IEnumerable<(string From, string Name, Version Asked, Version Shipped)> Redirects => Answered.Where(a => a.Asked != a.Shipped);

    /// <summary>The closure of the dependency set in <paramref name="directory"/> against the reference assemblies in <paramref name="frameworkDirectories"/>.</summary>
    public static DependencyClosure Of(string set, string directory, params string[] frameworkDirectories)
    {
        var shipped = Directory.GetFiles(directory, "*.dll").ToDictionary(
            p => AssemblyName.GetAssemblyName(p).Name!,
            p => (AssemblyName.GetAssemblyName(p).Version!, p),
            StringComparer.OrdinalIgnoreCase);
        var framework = new Dictionary<string, Version>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in frameworkDirectories.Where(Directory.Exists).SelectMany(d => Directory.GetFiles(d, "*.dll")))
        {
            if (Identity(path) is { } name && (!framework.TryGetValue(name.Name!, out var known) || known < name.Version!))
            {
                framework[name.Name!] = name.Version!;
            }
        }

        Assert.True(framework.Count > 50, $"the reference assemblies of the {set} framework are in {string.Join(", ", frameworkDirectories)}");
        return new DependencyClosure(set, shipped, framework);
    }

    /// <summary>
    /// Whether the file is a "platform not supported" stub: its methods' bodies throw PlatformNotSupportedException
    /// and nothing else (no method calls into a native library, none does more than build and throw the exception).
    /// </summary>
    public static bool IsStub(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var bodies = 0;
        var throwing = 0;
        foreach (var handle in reader.MethodDefinitions)
        {
            var method = reader.GetMethodDefinition(handle);
            if (!method.GetImport().Name.IsNil)
            {
                return false;
            }

            if (method.RelativeVirtualAddress == 0)
            {
                continue;
            }

            bodies++;
            var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes();
            throwing += il is { Length: > 0 } && il.Length <= 16 && il[^1] == 0x7A && ThrowsPlatformNotSupported(reader, il) ? 1 : 0;
        }

        // A stub's few real members (its resources' accessors, constructors) are a small share of its bodies.
        return bodies > 0 && throwing * 10 >= bodies * 6;
    }

    private static bool ThrowsPlatformNotSupported(MetadataReader reader, byte[] il)
    {
        for (var i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] != 0x73)
            {
                continue;
            }

            // newobj <token>: a constructor of PlatformNotSupportedException (a member reference, table 0x0A).
            var token = BitConverter.ToInt32(il, i + 1);
            if ((token >> 24) != 0x0A || (token & 0xFFFFFF) == 0 || (token & 0xFFFFFF) > reader.GetTableRowCount(TableIndex.MemberRef))
            {
                continue;
            }

            var handle = MetadataTokens.EntityHandle(token);
            if (handle.Kind == HandleKind.MemberReference)
            {
                var parent = reader.GetMemberReference((MemberReferenceHandle)handle).Parent;
                if (parent.Kind == HandleKind.TypeReference && reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Name) == "PlatformNotSupportedException")
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static AssemblyName? Identity(string path)
    {
        try
        {
            return AssemblyName.GetAssemblyName(path);
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }

    private static IEnumerable<AssemblyName> References(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.AssemblyReferences)
        {
            var reference = reader.GetAssemblyReference(handle);
            yield return new AssemblyName(reader.GetString(reference.Name)) { Version = reference.Version };
        }
    }
}
