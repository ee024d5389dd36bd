-- One role and one database per service. Run once by the PostgreSQL container on an empty
-- data volume (init-service-roles.sh passes the passwords as psql variables).
--
-- Each service connects as tauliah_<service> to the database tauliah_<service>, which that
-- role owns: its migrations create its schema (CREATE SCHEMA "<service>"), the pg_trgm
-- extension (providers; trusted, so a database owner may create it) and the _migrations
-- bookkeeping schema, all inside its own database. No role may connect to another
-- service's database, to the administrator's database or to "postgres", so no service
-- can read or change another's tables; the administrator (POSTGRES_USER) is used by no
-- service.
\set ON_ERROR_STOP on

create temporary table service_role (service text primary key, password text not null);
insert into service_role values
  ('learners', :'learners_password'),
  ('providers', :'providers_password'),
  ('employers', :'employers_password'),
  ('funding', :'funding_password'),
  ('credentials', :'credentials_password');

-- Refuse an empty or short password rather than create a role anyone can guess.
do $$
declare short text;
begin
  select string_agg(service, ', ') into short from service_role where length(password) < 16;
  if short is not null then raise exception 'the database password of % is shorter than 16 characters', short; end if;
end $$;

select format('create role %I login nosuperuser nocreatedb nocreaterole noinherit password %L', 'tauliah_' || service, password)
from service_role order by service \gexec

select format('create database %I owner %I', 'tauliah_' || service, 'tauliah_' || service)
from service_role order by service \gexec

-- PUBLIC may connect to any database by default: only the owner may connect to a service's.
select format('revoke all on database %I from public', 'tauliah_' || service)
from service_role order by service \gexec

revoke all on database postgres from public;
select format('revoke all on database %I from public', :'admin_database') where :'admin_database' <> 'postgres' \gexec

drop table service_role;
