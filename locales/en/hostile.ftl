# Bounds on imported files (decision 0008) and pending imports.
table-empty = The file is empty: the first row must hold the column names.
table-unreadable = The file cannot be read as CSV or XLSX ({ $reason }): save it from Excel as CSV or XLSX and try again.
table-too-large = The file is larger than { $limit }, the largest file that is imported.
table-too-many-rows = The file has more than { $limit } data rows: split it into several files.
table-too-many-columns = Row { $line } has cells beyond column { $limit }: at most { $limit } columns are read.
table-too-many-cells = The file has more than { $limit } cells (rows × columns): split it into several files.
table-cell-too-long = Row { $line } has a cell longer than { $limit } characters, Excel's maximum.
table-declared-dimensions = The sheet declares { $rows } rows × { $columns } columns; at most { $max_rows } rows and { $max_columns } columns are read. Copy the data into a new sheet and save it again.
table-too-many-parts = The workbook holds more than { $limit } parts: it was not saved by Excel.
table-uncompressed = The workbook is larger than { $limit } once uncompressed: split it into several files.
table-compression-ratio = Part { $part } of the workbook is compressed more than { $limit } times: the file is refused as suspicious.
table-size-mismatch = Part { $part } of the workbook does not match the size or checksum it declares: the file is damaged.
table-too-many-strings = The workbook declares more than { $limit } distinct texts.
table-strings-too-large = The workbook's texts are larger than { $limit }.
table-doctype = Part { $part } of the workbook holds a DTD, which spreadsheets never use: the file is refused.
import-upload-too-large = The file is larger than { $limit }, the largest file that can be uploaded.
import-expired = This preview has expired: previews stay valid for { $hours } hours. Upload the file again.
