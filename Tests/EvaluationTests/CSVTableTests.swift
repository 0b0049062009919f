import Evaluation
import Foundation
import Testing

@Suite("CSV files")
struct CSVTableTests {
    @Test func parsesQuotesCRLFAndRoundTrips() throws {
        let text = "id,name,value\r\n1,\"Smith, J.\",3.5\r\n2,\"say \"\"hi\"\"\",\"multi\nline\"\r\n"
        let table = try CSVTable.parse(Data(text.utf8))
        #expect(table.header == ["id", "name", "value"])
        #expect(table.rows == [["1", "Smith, J.", "3.5"], ["2", "say \"hi\"", "multi\nline"]])
        #expect(try CSVTable.parse(Data(table.text().utf8)) == table)
    }

    @Test func reportsTheLineOfABadRow() {
        let short = #expect(throws: CSVTable.ParseError.self) { try CSVTable.parse(Data("a,b\n1,2\n3\n".utf8)) }
        #expect(short?.description == "line 3: 1 fields where the header has 2")
        let unclosed = #expect(throws: CSVTable.ParseError.self) { try CSVTable.parse(Data("a,b\n1,\"2\n".utf8)) }
        #expect(unclosed?.description == "line 2: a quoted field opened here is not closed")
    }
}
