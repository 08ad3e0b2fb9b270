%%sql
select categoria, count(*) from produtos group by categoria