using System;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// A raw API filter that <see cref="CommercialQuery"/> will not send: read as the service reads it (values in single
/// quotes, a quote inside one doubled), its parentheses or quotes do not pair up, so put into the group it is AND'd in
/// it could end that group and select rows the other conditions leave out.
/// </summary>
public sealed class CommercialFilterException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public CommercialFilterException(string message, string filter, int position)
        : base(message)
    {
        Filter = filter;
        Position = position;
    }

    /// <summary>The filter refused, as given.</summary>
    public string Filter { get; }

    /// <summary>Where in <see cref="Filter"/> the problem is: the index (from 0) of the parenthesis or quote at fault.</summary>
    public int Position { get; }
}
