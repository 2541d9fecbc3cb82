using System.Management.Automation.Language;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// tests/Windows/Test-WindowsPowerShell.ps1 must run in Windows PowerShell 5.1, whose parser this machine does not
/// have: its syntax tree may hold nothing that only PowerShell 7 understands (the ternary, pipeline chains, the
/// null-coalescing and null-conditional operators, -Parallel, $IsWindows and its kin, Join-Path with a third path).
/// </summary>
public sealed class WindowsCheckScriptTests
{
    [Fact]
    public void The_Windows_PowerShell_check_uses_no_syntax_that_only_PowerShell_7_has()
    {
        var path = Repo.Path("tests", "Windows", "Test-WindowsPowerShell.ps1");
        var ast = Parser.ParseFile(path, out _, out var errors);
        Assert.Empty(errors);

        var found = ast.FindAll(_ => true, searchNestedScriptBlocks: true).SelectMany(Seven).ToList();

        Assert.Empty(found);
    }

    [Fact]
    public void The_rule_finds_PowerShell_7_syntax_where_there_is_some()
    {
        var ast = Parser.ParseInput("$a = $b ? 1 : 2; a && b; $c ?? 3; ${d}?.E; $f ??= 1; 1..2 | ForEach-Object -Parallel { }; $IsWindows; Join-Path a b c", out _, out _);

        var found = ast.FindAll(_ => true, searchNestedScriptBlocks: true).SelectMany(Seven).ToList();

        Assert.Equal(8, found.Count);
    }

    private static IEnumerable<string> Seven(Ast node)
    {
        switch (node)
        {
            case TernaryExpressionAst:
                yield return "the ternary operator at line " + node.Extent.StartLineNumber;
                break;
            case PipelineChainAst:
                yield return "&& or || at line " + node.Extent.StartLineNumber;
                break;
            case BinaryExpressionAst { Operator: TokenKind.QuestionQuestion }:
                yield return "?? at line " + node.Extent.StartLineNumber;
                break;
            case AssignmentStatementAst { Operator: TokenKind.QuestionQuestionEquals }:
                yield return "??= at line " + node.Extent.StartLineNumber;
                break;
            case MemberExpressionAst { NullConditional: true }:
                yield return "?. at line " + node.Extent.StartLineNumber;
                break;
            case CommandParameterAst { ParameterName: "Parallel" }:
                yield return "-Parallel at line " + node.Extent.StartLineNumber;
                break;
            case VariableExpressionAst variable when variable.VariablePath.UserPath is "IsWindows" or "IsLinux" or "IsMacOS" or "IsCoreCLR":
                yield return "$" + variable.VariablePath.UserPath + " at line " + node.Extent.StartLineNumber;
                break;
            case CommandAst command when string.Equals(command.GetCommandName(), "Join-Path", StringComparison.OrdinalIgnoreCase)
                && command.CommandElements.Skip(1).Count(e => e is not CommandParameterAst) > 2:
                yield return "Join-Path with more than two paths at line " + node.Extent.StartLineNumber;
                break;
        }
    }
}
