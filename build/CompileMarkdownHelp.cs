// Compiles platyPS-schema markdown (docs/cmdlets/*.md) into the MAML file PowerShell reads for compiled cmdlets
// (en-US/<Assembly>.dll-Help.xml), and about_*.md into about_*.help.txt, at build time and without pwsh.
// platyPS (New-ExternalHelp) reads the same markdown; build.ps1 -Task Docs uses it where it is installed.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class CompileMarkdownHelp : Task
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    [Required]
    public ITaskItem[] CmdletFiles { get; set; } = Array.Empty<ITaskItem>();

    public ITaskItem[] AboutFiles { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string HelpFileName { get; set; } = string.Empty;

    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    public override bool Execute()
    {
        Directory.CreateDirectory(OutputDirectory);
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
            new XAttribute(XNamespace.Xmlns + "maml", Maml), new XAttribute(XNamespace.Xmlns + "command", Command), new XAttribute(XNamespace.Xmlns + "dev", Dev));
        foreach (var file in CmdletFiles.OrderBy(f => f.ItemSpec, StringComparer.Ordinal))
        {
            try
            {
                var page = CmdletPage.Parse(File.ReadAllText(file.ItemSpec));
                if (!string.Equals(page.HelpFile, HelpFileName, StringComparison.OrdinalIgnoreCase))
                {
                    Log.LogError(null, "PCUHELP1", null, file.ItemSpec, 1, 1, 1, 1, "'external help file' is '{0}', expected '{1}'.", page.HelpFile, HelpFileName);
                    continue;
                }

                root.Add(page.ToMaml());
            }
            catch (FormatException ex)
            {
                Log.LogError(null, "PCUHELP2", null, file.ItemSpec, 1, 1, 1, 1, ex.Message);
            }
        }

        WriteIfChanged(Path.Combine(OutputDirectory, HelpFileName), new XDocument(new XDeclaration("1.0", "utf-8", null), root).ToString() + "\n");
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var about in AboutFiles)
        {
            var path = Path.Combine(OutputDirectory, Path.GetFileNameWithoutExtension(about.ItemSpec) + ".help.txt");
            WriteIfChanged(path, AboutText(File.ReadAllText(about.ItemSpec)));
            written.Add(Path.GetFullPath(path));
        }

        // A topic removed from docs/ must not linger in the module.
        foreach (var stale in Directory.GetFiles(OutputDirectory, "about_*.help.txt").Where(f => !written.Contains(Path.GetFullPath(f))))
        {
            File.Delete(stale);
        }

        return !Log.HasLoggedErrors;
    }

    private static void WriteIfChanged(string path, string text)
    {
        if (!File.Exists(path) || File.ReadAllText(path) != text)
        {
            File.WriteAllText(path, text, new UTF8Encoding(false));
        }
    }

    // about_ topics are plain text: markdown headings become upper-case titles, the rest stays as written.
    private static string AboutText(string markdown)
    {
        var builder = new StringBuilder();
        foreach (var line in StripFrontMatter(markdown).Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            var heading = Regex.Match(line, "^(#+)\\s+(.*)$");
            builder.AppendLine(heading.Success ? (heading.Groups[1].Length <= 2 ? heading.Groups[2].Value.ToUpperInvariant() : "    " + heading.Groups[2].Value) : "    " + line);
        }

        return builder.ToString().Replace("\r\n", "\n");
    }

    internal static string StripFrontMatter(string markdown)
    {
        var text = markdown.Replace("\r\n", "\n");
        if (text.StartsWith("---\n", StringComparison.Ordinal))
        {
            var end = text.IndexOf("\n---\n", 4, StringComparison.Ordinal);
            if (end > 0)
            {
                return text.Substring(end + 5);
            }
        }

        return text;
    }

    private sealed class ParameterBlock
    {
        public Dictionary<string, string> Fields { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public string Get(string key) => Fields.TryGetValue(key, out var value) ? value : string.Empty;

        public string[] Sets => Get("Parameter Sets").Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();

        public bool Required => string.Equals(Get("Required"), "True", StringComparison.OrdinalIgnoreCase);
    }

    private sealed class Parameter
    {
        public string Name = string.Empty;
        public List<string> Description = new List<string>();
        public List<ParameterBlock> Blocks = new List<ParameterBlock>();
    }

    private sealed class Example
    {
        public string Title = string.Empty;
        public List<string> Code = new List<string>();
        public List<string> Remarks = new List<string>();
    }

    private sealed class CmdletPage
    {
        public string HelpFile = string.Empty;
        public string Name = string.Empty;
        public List<string> Synopsis = new List<string>();
        public List<string> Description = new List<string>();
        public List<(string Name, bool IsDefault)> Sets = new List<(string, bool)>();
        public List<Example> Examples = new List<Example>();
        public List<Parameter> Parameters = new List<Parameter>();
        public List<(string Type, List<string> Text)> Inputs = new List<(string, List<string>)>();
        public List<(string Type, List<string> Text)> Outputs = new List<(string, List<string>)>();
        public List<string> Notes = new List<string>();
        public List<(string Text, string Uri)> Links = new List<(string, string)>();

        public static CmdletPage Parse(string markdown)
        {
            var page = new CmdletPage();
            var text = markdown.Replace("\r\n", "\n");
            var front = Regex.Match(text, "^---\\n(.*?)\\n---\\n", RegexOptions.Singleline);
            if (!front.Success)
            {
                throw new FormatException("The page has no front matter (--- ... ---).");
            }

            page.HelpFile = Regex.Match(front.Groups[1].Value, "^external help file:\\s*(.+)$", RegexOptions.Multiline).Groups[1].Value.Trim();
            var lines = Regex.Replace(text.Substring(front.Length), "^<!--.*?-->\\n", string.Empty, RegexOptions.Multiline).Split('\n');
            string? section = null;
            var body = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines)
            {
                if (line.StartsWith("# ", StringComparison.Ordinal) && page.Name.Length == 0)
                {
                    page.Name = line.Substring(2).Trim();
                }
                else if (line.StartsWith("## ", StringComparison.Ordinal))
                {
                    section = line.Substring(3).Trim().ToUpperInvariant();
                    body[section] = new List<string>();
                }
                else if (section is not null)
                {
                    body[section].Add(line);
                }
            }

            if (page.Name.Length == 0 || !body.ContainsKey("SYNOPSIS") || !body.ContainsKey("DESCRIPTION"))
            {
                throw new FormatException("The page needs a '# Name' title and SYNOPSIS and DESCRIPTION sections.");
            }

            page.Synopsis = Paragraphs(body["SYNOPSIS"]);
            page.Description = Paragraphs(body["DESCRIPTION"]);
            page.Notes = body.TryGetValue("NOTES", out var notes) ? Paragraphs(notes) : new List<string>();
            foreach (var (title, content) in Subsections(Get(body, "SYNTAX")))
            {
                if (title.Length > 0)
                {
                    var isDefault = title.EndsWith("(Default)", StringComparison.OrdinalIgnoreCase);
                    page.Sets.Add((isDefault ? title.Substring(0, title.Length - "(Default)".Length).Trim() : title, isDefault));
                }
            }

            foreach (var (title, content) in Subsections(Get(body, "EXAMPLES")).Where(s => s.Title.Length > 0))
            {
                var example = new Example { Title = title };
                var inCode = false;
                var prose = new List<string>();
                foreach (var line in content)
                {
                    if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                    {
                        inCode = !inCode;
                        continue;
                    }

                    (inCode ? example.Code : prose).Add(line);
                }

                example.Remarks = Paragraphs(prose);
                page.Examples.Add(example);
            }

            foreach (var (title, content) in Subsections(Get(body, "PARAMETERS")).Where(s => s.Title.StartsWith("-", StringComparison.Ordinal)))
            {
                var parameter = new Parameter { Name = title.Substring(1).Trim() };
                var prose = new List<string>();
                ParameterBlock? block = null;
                foreach (var line in content)
                {
                    if (line.StartsWith("```yaml", StringComparison.Ordinal))
                    {
                        block = new ParameterBlock();
                        continue;
                    }

                    if (line.StartsWith("```", StringComparison.Ordinal) && block is not null)
                    {
                        parameter.Blocks.Add(block);
                        block = null;
                        continue;
                    }

                    if (block is not null)
                    {
                        var colon = line.IndexOf(':');
                        if (colon > 0)
                        {
                            block.Fields[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
                        }
                    }
                    else
                    {
                        prose.Add(line);
                    }
                }

                if (parameter.Blocks.Count == 0)
                {
                    throw new FormatException($"Parameter -{parameter.Name} has no ```yaml block.");
                }

                parameter.Description = Paragraphs(prose);
                page.Parameters.Add(parameter);
            }

            page.Inputs = Subsections(Get(body, "INPUTS")).Where(s => s.Title.Length > 0).Select(s => (s.Title, Paragraphs(s.Content))).ToList();
            page.Outputs = Subsections(Get(body, "OUTPUTS")).Where(s => s.Title.Length > 0).Select(s => (s.Title, Paragraphs(s.Content))).ToList();
            foreach (Match link in Regex.Matches(string.Join("\n", Get(body, "RELATED LINKS")), "\\[([^\\]]+)\\]\\(([^)]*)\\)"))
            {
                var uri = link.Groups[2].Value;
                page.Links.Add((link.Groups[1].Value, uri.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? uri : string.Empty));
            }

            return page;
        }

        public XElement ToMaml()
        {
            var dash = Name.IndexOf('-');
            var sets = Sets.Count > 0 ? Sets.Select(s => s.Name).ToList() : new List<string> { "__AllParameterSets" };
            return new XElement(Command + "command",
                new XElement(Command + "details",
                    new XElement(Command + "name", Name),
                    Paras(Synopsis),
                    new XElement(Command + "verb", dash > 0 ? Name.Substring(0, dash) : Name),
                    new XElement(Command + "noun", dash > 0 ? Name.Substring(dash + 1) : string.Empty)),
                Paras(Description),
                new XElement(Command + "syntax", sets.Select(set => new XElement(Command + "syntaxItem",
                    new XElement(Maml + "name", Name),
                    Parameters
                        .Select(p => (Parameter: p, Block: p.Blocks.FirstOrDefault(b => b.Sets.Contains("(All)") || b.Sets.Contains(set) || set == "__AllParameterSets")))
                        .Where(x => x.Block is not null)
                        .Select(x => ParameterElement(x.Parameter, x.Block!, x.Block!.Required))))),
                new XElement(Command + "parameters", Parameters.Select(p => ParameterElement(p, p.Blocks[0], p.Blocks.All(b => b.Required)))),
                new XElement(Command + "inputTypes", Inputs.Select(i => new XElement(Command + "inputType",
                    new XElement(Dev + "type", new XElement(Maml + "name", i.Type)), Paras(i.Text)))),
                new XElement(Command + "returnValues", Outputs.Select(o => new XElement(Command + "returnValue",
                    new XElement(Dev + "type", new XElement(Maml + "name", o.Type)), Paras(o.Text)))),
                new XElement(Maml + "alertSet", new XElement(Maml + "alert", Notes.Select(n => new XElement(Maml + "para", n)))),
                new XElement(Command + "examples", Examples.Select(e => new XElement(Command + "example",
                    new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
                    new XElement(Dev + "code", string.Join("\n", e.Code).Trim('\n')),
                    new XElement(Dev + "remarks", e.Remarks.Select(r => new XElement(Maml + "para", r)))))),
                new XElement(Command + "relatedLinks", Links.Select(l => new XElement(Maml + "navigationLink",
                    new XElement(Maml + "linkText", l.Text), new XElement(Maml + "uri", l.Uri)))));
        }

        private static XElement ParameterElement(Parameter parameter, ParameterBlock block, bool required)
        {
            var type = block.Get("Type");
            var position = block.Get("Position");
            var pipeline = block.Get("Accept pipeline input");
            var element = new XElement(Command + "parameter",
                new XAttribute("required", required ? "true" : "false"),
                new XAttribute("variableLength", type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
                new XAttribute("globbing", string.Equals(block.Get("Accept wildcard characters"), "True", StringComparison.OrdinalIgnoreCase) ? "true" : "false"),
                new XAttribute("pipelineInput", pipeline.Length == 0 ? "False" : pipeline),
                new XAttribute("position", string.IsNullOrEmpty(position) || position == "Named" ? "named" : position),
                new XAttribute("aliases", block.Get("Aliases").Length == 0 ? "none" : block.Get("Aliases")),
                new XElement(Maml + "name", parameter.Name),
                Paras(parameter.Description));
            if (!string.Equals(type, "SwitchParameter", StringComparison.Ordinal))
            {
                element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), type));
            }

            element.Add(new XElement(Dev + "type", new XElement(Maml + "name", type)));
            element.Add(new XElement(Dev + "defaultValue", block.Get("Default value").Length == 0 ? "None" : block.Get("Default value")));
            return element;
        }

        private static XElement Paras(IEnumerable<string> paragraphs) =>
            new XElement(Maml + "description", paragraphs.Select(p => new XElement(Maml + "para", p)));

        private static List<string> Get(Dictionary<string, List<string>> body, string key) =>
            body.TryGetValue(key, out var lines) ? lines : new List<string>();

        private static List<(string Title, List<string> Content)> Subsections(List<string> lines)
        {
            var result = new List<(string, List<string>)> { (string.Empty, new List<string>()) };
            foreach (var line in lines)
            {
                if (line.StartsWith("### ", StringComparison.Ordinal))
                {
                    result.Add((line.Substring(4).Trim(), new List<string>()));
                }
                else
                {
                    result[result.Count - 1].Item2.Add(line);
                }
            }

            return result;
        }

        // Paragraphs are separated by blank lines; lines of one paragraph are joined. Code fences stay verbatim.
        private static List<string> Paragraphs(List<string> lines)
        {
            var paragraphs = new List<string>();
            var current = new List<string>();
            var inCode = false;
            foreach (var raw in lines)
            {
                var line = raw.TrimEnd();
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    inCode = !inCode;
                    continue;
                }

                if (!inCode && line.Length == 0)
                {
                    Flush();
                    continue;
                }

                current.Add(inCode ? line : line.Trim());
            }

            Flush();
            return paragraphs;

            void Flush()
            {
                if (current.Count > 0)
                {
                    paragraphs.Add(string.Join(inCode ? "\n" : " ", current));
                    current.Clear();
                }
            }
        }
    }
}
