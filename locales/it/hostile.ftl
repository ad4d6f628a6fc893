# Bounds on imported files (decision 0008) and pending imports.
table-empty = Il file è vuoto: la prima riga deve contenere i nomi delle colonne.
table-unreadable = Il file non si legge come CSV o XLSX ({ $reason }): salvalo come CSV o XLSX da Excel e riprova.
table-too-large = Il file supera { $limit }, la dimensione massima che si importa.
table-too-many-rows = Il file ha più di { $limit } righe di dati: dividilo in più file.
table-too-many-columns = La riga { $line } ha celle oltre la colonna { $limit }: si leggono al massimo { $limit } colonne.
table-too-many-cells = Il file ha più di { $limit } celle (righe × colonne): dividilo in più file.
table-cell-too-long = La riga { $line } ha una cella più lunga di { $limit } caratteri, il massimo di Excel.
table-declared-dimensions = Il foglio dichiara { $rows } righe × { $columns } colonne; si leggono al massimo { $max_rows } righe e { $max_columns } colonne. Copia i dati in un foglio nuovo e salvalo di nuovo.
table-too-many-parts = La cartella di lavoro contiene più di { $limit } parti: non è un file salvato da Excel.
table-uncompressed = La cartella di lavoro, decompressa, supera { $limit }: dividila in più file.
table-compression-ratio = La parte { $part } della cartella di lavoro è compressa più di { $limit } volte: il file è rifiutato come sospetto.
table-size-mismatch = La parte { $part } della cartella di lavoro non corrisponde alla dimensione o al controllo che dichiara: il file è danneggiato.
table-too-many-strings = La cartella di lavoro dichiara più di { $limit } testi distinti.
table-strings-too-large = I testi della cartella di lavoro superano { $limit }.
table-doctype = La parte { $part } della cartella di lavoro contiene una DTD, che i fogli di calcolo non usano: il file è rifiutato.
import-upload-too-large = Il file supera { $limit }, la dimensione massima che si carica.
import-expired = Questa anteprima è scaduta: le anteprime restano valide { $hours } ore. Carica di nuovo il file.
