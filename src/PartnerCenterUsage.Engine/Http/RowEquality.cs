using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>
/// Whether two rows of a listing are the same row: every public property a row is read into (a getter and a setter)
/// holds the same value, texts compared ordinally. The output models are flat and scalar, so this is what the row says;
/// the comparison is compiled once per row type, as a pager compares every row it reads.
/// </summary>
/// <typeparam name="T">The rows.</typeparam>
internal sealed class RowEquality<T> : IEqualityComparer<T>
    where T : class
{
    public static readonly RowEquality<T> Instance = new();

    private readonly Func<T, T, bool> _equals;
    private readonly Func<T, int> _hash;

    private RowEquality()
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetGetMethod() is not null && p.GetSetMethod() is not null && p.GetIndexParameters().Length == 0)
            .ToList();
        if (properties.Count == 0)
        {
            throw new InvalidOperationException(typeof(T).Name + " has no properties a row is read into.");
        }

        var left = Expression.Parameter(typeof(T), "left");
        var right = Expression.Parameter(typeof(T), "right");
        Expression? equals = null;
        Expression hash = Expression.Constant(17);
        foreach (var property in properties)
        {
            var type = typeof(IEqualityComparer<>).MakeGenericType(property.PropertyType);
            var comparer = Expression.Constant(Comparer(property.PropertyType), type);
            var compare = type.GetMethod(nameof(IEqualityComparer<object>.Equals), [property.PropertyType, property.PropertyType])!;
            var hashOf = type.GetMethod(nameof(IEqualityComparer<object>.GetHashCode), [property.PropertyType])!;
            var same = Expression.Call(comparer, compare, Expression.Property(left, property), Expression.Property(right, property));
            equals = equals is null ? same : Expression.AndAlso(equals, same);
            hash = Expression.ExclusiveOr(
                Expression.Multiply(hash, Expression.Constant(-1521134295)),
                Expression.Call(comparer, hashOf, Expression.Property(left, property)));
        }

        _equals = Expression.Lambda<Func<T, T, bool>>(equals!, left, right).Compile();
        _hash = Expression.Lambda<Func<T, int>>(hash, left).Compile();
    }

    public bool Equals(T? x, T? y) => ReferenceEquals(x, y) || (x is not null && y is not null && _equals(x, y));

    public int GetHashCode(T obj) => _hash(obj ?? throw new ArgumentNullException(nameof(obj)));

    // Texts ordinally (a null text hashes as 0), anything else as its type compares itself.
    private static object Comparer(Type type) => type == typeof(string)
        ? new OrdinalText()
        : typeof(EqualityComparer<>).MakeGenericType(type).GetProperty(nameof(EqualityComparer<object>.Default))!.GetValue(null)!;

    private sealed class OrdinalText : IEqualityComparer<string?>
    {
        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string? obj) => obj is null ? 0 : StringComparer.Ordinal.GetHashCode(obj);
    }
}
