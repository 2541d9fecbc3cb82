using System;
using System.Linq;
using System.Management.Automation;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Commands;

/// <summary>Lists the partner's customers, a page at a time as each arrives, or gets customers by id.</summary>
[Cmdlet(VerbsCommon.Get, "PCCustomer", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(PartnerCustomer))]
public sealed class GetPCCustomerCommand : PartnerCenterCmdlet
{
    private const string ByNameSet = "List";
    private const string ByDomainSet = "Domain";
    private const string ByIdSet = "CustomerId";
    private PartnerConnection _connection = null!;
    private PartnerCenterOperation _operation = null!;

    /// <summary>Only customers whose company name starts with this text, or matches its wildcards (a trailing * is allowed).</summary>
    [Parameter(Position = 0, ParameterSetName = ByNameSet)]
    [ValidateNotNullOrEmpty]
    public string? CompanyName { get; set; }

    /// <summary>Only customers whose domain starts with this text, or matches its wildcards (a trailing * is allowed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByDomainSet)]
    [ValidateNotNullOrEmpty]
    public string Domain { get; set; } = null!;

    /// <summary>Gets these customers by id instead of listing.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByIdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(CustomerIdCompleter))]
    public Guid[] CustomerId { get; set; } = Array.Empty<Guid>();

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        // Before anything is asked: a pattern PowerShell cannot read would fail on the first customer matched.
        Wildcards.Require(this, nameof(CompanyName), CompanyName is null ? null : [CompanyName]);
        Wildcards.Require(this, nameof(Domain), Domain is null ? null : [Domain]);
        _connection = RequireConnection();
        _operation = NewOperation();
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ParameterSetName == ByIdSet)
        {
            foreach (var customerId in CustomerId)
            {
                try
                {
                    WriteObject(Await(_connection.Client.GetCustomerAsync(customerId, _operation, CancellationToken)));
                }
                catch (PartnerCenterException ex)
                {
                    WriteEngineError(ex, customerId, $"Getting customer {customerId}");
                }
                catch (OperationCanceledException) when (Stopping)
                {
                    return;
                }
            }

            return;
        }

        // Partner Center filters by prefix only: the text before the first wildcard is sent as the prefix ('*' or
        // '*son' send none), and a value with wildcards is then matched whole here ('Con?oso*', '*son').
        var byDomain = ParameterSetName == ByDomainSet;
        var value = byDomain ? Domain : CompanyName ?? string.Empty;
        var prefix = Prefix(value);
        var filter = prefix.Length == 0 ? null
            : new CustomerFilter(byDomain ? CustomerFilterField.Domain : CustomerFilterField.CompanyName, prefix);
        var pattern = WildcardPattern.ContainsWildcardCharacters(value) && prefix != value.TrimEnd('*')
            ? Wildcards.Pattern(value)
            : null;
        var pager = _connection.Client.ListCustomers(filter, _operation);
        try
        {
            while (Await(pager.NextPageAsync(CancellationToken)) is { } page)
            {
                WriteObject(pattern is null ? page : page.Where(c => pattern.IsMatch((byDomain ? c.Domain : c.CompanyName) ?? string.Empty)), enumerateCollection: true);
            }
        }
        catch (PartnerCenterException ex)
        {
            // The listing cannot go on, and a report must not take a partial list for the whole portfolio.
            ThrowTerminatingError(ErrorRecords.FromEngine(ex, filter?.Value, "Listing customers"));
        }
        catch (OperationCanceledException) when (Stopping)
        {
        }
    }

    /// <summary>The literal text before the first wildcard of <paramref name="value"/> (escapes undone).</summary>
    private static string Prefix(string value)
    {
        var end = 0;
        while (end < value.Length && value[end] is not ('*' or '?' or '['))
        {
            // A backtick escapes the next character: it is part of the prefix.
            end += value[end] == '`' && end + 1 < value.Length ? 2 : 1;
        }

        return WildcardPattern.Unescape(value.Substring(0, end));
    }
}
