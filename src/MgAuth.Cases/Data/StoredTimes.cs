using System.Data;
using System.Globalization;
using Dapper;

namespace MgAuth.Cases.Data;

/// <summary>
/// Instants and dates as both providers keep them: ISO 8601 text, "O" (with its offset) and yyyy-MM-dd, so the stores'
/// comparisons and the metrics' julianday/EXTRACT read them as before. Rows and parameters carry the real types.
/// </summary>
internal static class StoredTimes
{
    public static void Register()
    {
        // Dapper maps these types itself (DbType.DateTimeOffset, DbType.Date); the handlers replace that mapping.
        foreach (var type in new[] { typeof(DateTimeOffset), typeof(DateTimeOffset?), typeof(DateOnly), typeof(DateOnly?) })
            SqlMapper.RemoveTypeMap(type);
        SqlMapper.AddTypeHandler(typeof(DateTimeOffset), new Text<DateTimeOffset>(
            instant => instant.ToString("O", CultureInfo.InvariantCulture), text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture)));
        SqlMapper.AddTypeHandler(typeof(DateOnly), new Text<DateOnly>(
            date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            text => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture)));
        StoredNames.Register();
    }

    // A null is sent as text too: PostgreSQL cannot type an untyped null in "@since IS NULL".
    private sealed class Text<T>(Func<T, string> write, Func<string, T> read) : SqlMapper.ITypeHandler where T : struct
    {
        public void SetValue(IDbDataParameter parameter, object value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value is T typed ? write(typed) : DBNull.Value;
        }

        public object Parse(Type destinationType, object value) => read((string)value);
    }
}
