using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text.RegularExpressions;

namespace PartnerCenterUsage.Runner;

/// <summary>
/// A minimal non-interactive PowerShell host that renders what Out-Default writes to a TextWriter, as a
/// console would: tables, errors, warnings, verbose lines.
/// </summary>
public sealed partial class TextHost : PSHost
{
    private readonly TextHostUserInterface _ui;

    /// <summary>Creates a host writing to <paramref name="output"/>, <paramref name="width"/> columns wide.</summary>
    /// <param name="output">Where everything goes.</param>
    /// <param name="width">The buffer width tables are laid out for.</param>
    /// <param name="ansi">False to strip the escape sequences PowerShell colours its output with.</param>
    public TextHost(TextWriter output, int width = 160, bool ansi = false)
    {
        _ui = new TextHostUserInterface(ansi ? output : new PlainTextWriter(output), width);
    }

    /// <inheritdoc/>
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    /// <inheritdoc/>
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    /// <inheritdoc/>
    public override Guid InstanceId { get; } = Guid.NewGuid();

    /// <inheritdoc/>
    public override string Name => "PartnerCenterUsage.Runner";

    /// <inheritdoc/>
    public override PSHostUserInterface UI => _ui;

    /// <inheritdoc/>
    public override Version Version => new(1, 0);

    /// <inheritdoc/>
    public override void EnterNestedPrompt() => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void ExitNestedPrompt() => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void NotifyBeginApplication()
    {
    }

    /// <inheritdoc/>
    public override void NotifyEndApplication()
    {
    }

    /// <inheritdoc/>
    public override void SetShouldExit(int exitCode)
    {
    }

    [GeneratedRegex("\u001b\\[[0-9;?]*[A-Za-z]")]
    private static partial Regex EscapeSequence();

    /// <summary>Drops ANSI escape sequences: PowerShell's host-side formatting adds them whatever OutputRendering says.</summary>
    private sealed class PlainTextWriter(TextWriter inner) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value) => inner.Write(value);

        public override void Write(string? value) => inner.Write(value is null ? null : EscapeSequence().Replace(value, string.Empty));

        public override void WriteLine(string? value) => inner.WriteLine(value is null ? null : EscapeSequence().Replace(value, string.Empty));
    }

    private sealed class TextHostUserInterface(TextWriter output, int width) : PSHostUserInterface
    {
        private readonly TextRawUserInterface _raw = new(width);

        public override PSHostRawUserInterface RawUI => _raw;

        public override void Write(string value) => output.Write(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => output.Write(value);

        public override void WriteLine(string value) => output.WriteLine(value);

        public override void WriteErrorLine(string value) => output.WriteLine(value);

        public override void WriteDebugLine(string message) => output.WriteLine("DEBUG: " + message);

        public override void WriteVerboseLine(string message) => output.WriteLine("VERBOSE: " + message);

        public override void WriteWarningLine(string message) => output.WriteLine("WARNING: " + message);

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override string ReadLine() => throw new NotSupportedException("This host is not interactive.");

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("This host is not interactive.");

        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("This host is not interactive.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("This host is not interactive.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("This host is not interactive.");

        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new NotSupportedException("This host is not interactive.");
    }

    private sealed class TextRawUserInterface(int width) : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        public override Size BufferSize { get; set; } = new(width, 9999);

        public override Coordinates CursorPosition { get; set; }

        public override int CursorSize { get; set; }

        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

        public override bool KeyAvailable => false;

        public override Size MaxPhysicalWindowSize => new(width, 9999);

        public override Size MaxWindowSize => new(width, 9999);

        public override Coordinates WindowPosition { get; set; }

        public override Size WindowSize { get; set; } = new(width, 50);

        public override string WindowTitle { get; set; } = string.Empty;

        public override void FlushInputBuffer()
        {
        }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
    }
}
