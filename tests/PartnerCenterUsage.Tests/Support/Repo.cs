using System.Reflection;
using System.Xml.Linq;

namespace PartnerCenterUsage.Tests.Support;

public static class Repo
{
    public static string Root { get; } =
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The one version of the project, from Directory.Build.props.</summary>
    public static string Version { get; } =
        XDocument.Load(Path("Directory.Build.props")).Descendants("VersionPrefix").Single().Value;
}
