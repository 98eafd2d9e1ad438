using System.Text;
using StashMount.Repository.Json;

namespace StashMount.Repository.Tests.Serialization;

public sealed class GoJsonWriterTests
{
    private static string Encode(byte[] raw)
    {
        var json = new GoJsonWriter();
        json.String(raw);
        return Encoding.UTF8.GetString(json.WrittenSpan);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a&b<c>", "\"a\\u0026b\\u003cc\\u003e\"")]
    [InlineData("q\"b\\s", "\"q\\\"b\\\\s\"")]
    [InlineData("n\nr\rt\t", "\"n\\nr\\rt\\t\"")]
    [InlineData("a\u007fb\bc\fd\u001b", "\"a\u007fb\\u0008c\\u000cd\\u001b\"")]
    [InlineData("line\u2028sep\u2029", "\"line\\u2028sep\\u2029\"")]
    [InlineData("ä-üñ€😀", "\"ä-üñ€😀\"")]
    public void EscapesLikeGo(string value, string expected) => Assert.Equal(expected, Encode(Encoding.UTF8.GetBytes(value)));

    [Fact]
    public void EveryInvalidByteBecomesOneReplacementEscape()
    {
        Assert.Equal("\"inv\\ufffd\\ufffdutf8\"", Encode([.. "inv"u8, 0xff, 0xfe, .. "utf8"u8]));
        // A UTF-8-encoded surrogate is three invalid bytes for Go.
        Assert.Equal("\"\\ufffd\\ufffd\\ufffd\"", Encode([0xed, 0xa0, 0x80]));
    }

    [Fact]
    public void WritesObjectsCompactly()
    {
        var json = new GoJsonWriter();
        json.StartObject();
        json.Name("a"u8);
        json.Number(1UL);
        json.Name("b"u8);
        json.StartArray();
        json.Boolean(true);
        json.Null();
        json.Base64([1, 2, 3, 4]);
        json.EndArray();
        json.Name("c"u8);
        json.StartObject();
        json.EndObject();
        json.EndObject();
        Assert.Equal("{\"a\":1,\"b\":[true,null,\"AQIDBA==\"],\"c\":{}}", Encoding.UTF8.GetString(json.WrittenSpan));
    }
}
