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
        SqlMapper.AddTypeHandler(new InstantText());
        SqlMapper.AddTypeHandler(new DateText());
    }

    private sealed class InstantText : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.ToString("O", CultureInfo.InvariantCulture);
        }

        public override DateTimeOffset Parse(object value) => DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture);
    }

    private sealed class DateText : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        public override DateOnly Parse(object value) => DateOnly.ParseExact((string)value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
