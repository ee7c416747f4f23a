"""relcli import outlook FILE, through main(), for exports of an Outlook in another language.

The files are synthetic. Each header is Outlook desktop's full header (the English column
order of tests/data/fixtures/OUTLOOK-HEADERS.md) with the names Outlook writes in that
language, taken from Microsoft Exchange's Outlook CSV importer (``OutlookCsvLanguageSelect``).
It does not name six columns (Directory Server, Keywords, Language, Organizational ID Number,
Private, Referred By): German and Dutch have them from other public importers (bbdb's
lookout.el, Open-Xchange's CSVContactImporterTest), the other languages leave them out.
Files are written as Outlook writes them: every cell quoted, CRLF, in the Windows ANSI code
page of the language (cp1252, Shift_JIS for Japanese).

Today is Tuesday 2026-12-01.
"""

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Relcli, ok

ENGLISH = (
    "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department",
    "Job Title", "Business Street", "Business Street 2", "Business Street 3", "Business City",
    "Business State", "Business Postal Code", "Business Country/Region", "Home Street",
    "Home Street 2", "Home Street 3", "Home City", "Home State", "Home Postal Code",
    "Home Country/Region", "Other Street", "Other Street 2", "Other Street 3", "Other City",
    "Other State", "Other Postal Code", "Other Country/Region", "Assistant's Phone",
    "Business Fax", "Business Phone", "Business Phone 2", "Callback", "Car Phone",
    "Company Main Phone", "Home Fax", "Home Phone", "Home Phone 2", "ISDN", "Mobile Phone",
    "Other Fax", "Other Phone", "Pager", "Primary Phone", "Radio Phone", "TTY/TDD Phone", "Telex",
    "Account", "Anniversary", "Assistant's Name", "Billing Information", "Birthday",
    "Business Address PO Box", "Categories", "Children", "Directory Server", "E-mail Address",
    "E-mail Type", "E-mail Display Name", "E-mail 2 Address", "E-mail 2 Type",
    "E-mail 2 Display Name", "E-mail 3 Address", "E-mail 3 Type", "E-mail 3 Display Name",
    "Gender", "Government ID Number", "Hobby", "Home Address PO Box", "Initials",
    "Internet Free Busy", "Keywords", "Language", "Location", "Manager's Name", "Mileage",
    "Notes", "Office Location", "Organizational ID Number", "Other Address PO Box", "Priority",
    "Private", "Profession", "Referred By", "Sensitivity", "Spouse", "User 1", "User 2",
    "User 3", "User 4", "Web Page",
)  # fmt: skip

GERMAN = {
    "Title": "Anrede", "First Name": "Vorname", "Middle Name": "Weitere Vornamen",
    "Last Name": "Nachname", "Suffix": "Suffix", "Company": "Firma", "Department": "Abteilung",
    "Job Title": "Position", "Business Street": "Straße geschäftlich",
    "Business Street 2": "Straße geschäftlich 2", "Business Street 3": "Straße geschäftlich 3",
    "Business City": "Ort geschäftlich", "Business State": "Region geschäftlich",
    "Business Postal Code": "Postleitzahl geschäftlich",
    "Business Country/Region": "Land/Region geschäftlich", "Home Street": "Straße privat",
    "Home Street 2": "Straße privat 2", "Home Street 3": "Straße privat 3",
    "Home City": "Ort privat", "Home State": "Bundesland/Kanton privat",
    "Home Postal Code": "Postleitzahl privat", "Home Country/Region": "Land/Region privat",
    "Other Street": "Weitere Straße", "Other Street 2": "Weitere Straße 2",
    "Other Street 3": "Weitere Straße 3", "Other City": "Weiterer Ort",
    "Other State": "Weiteres/r Bundesland/Kanton", "Other Postal Code": "Weitere Postleitzahl",
    "Other Country/Region": "Weiteres/e Land/Region", "Assistant's Phone": "Telefon Assistent",
    "Business Fax": "Fax geschäftlich", "Business Phone": "Telefon geschäftlich",
    "Business Phone 2": "Telefon geschäftlich 2", "Callback": "Rückmeldung",
    "Car Phone": "Autotelefon", "Company Main Phone": "Telefon Firma", "Home Fax": "Fax privat",
    "Home Phone": "Telefon privat", "Home Phone 2": "Telefon privat 2", "ISDN": "ISDN",
    "Mobile Phone": "Mobiltelefon", "Other Fax": "Weiteres Fax", "Other Phone": "Weiteres Telefon",
    "Pager": "Pager", "Primary Phone": "Haupttelefon", "Radio Phone": "Mobiltelefon 2",
    "TTY/TDD Phone": "Telefon für Hörbehinderte", "Telex": "Telex", "Account": "Konto",
    "Anniversary": "Jahrestag", "Assistant's Name": "Name Assistent",
    "Billing Information": "Abrechnungsinformation", "Birthday": "Geburtstag",
    "Business Address PO Box": "Postfach geschäftlich", "Categories": "Kategorien",
    "Children": "Kinder", "Directory Server": "Verzeichnisserver",
    "E-mail Address": "E-Mail-Adresse", "E-mail Type": "E-Mail-Typ",
    "E-mail Display Name": "E-Mail: Angezeigter Name", "E-mail 2 Address": "E-Mail 2: Adresse",
    "E-mail 2 Type": "E-Mail 2: Typ", "E-mail 2 Display Name": "E-Mail 2: Angezeigter Name",
    "E-mail 3 Address": "E-Mail 3: Adresse", "E-mail 3 Type": "E-Mail 3: Typ",
    "E-mail 3 Display Name": "E-Mail 3: Angezeigter Name", "Gender": "Geschlecht",
    "Government ID Number": "Regierungsnr.", "Hobby": "Hobby",
    "Home Address PO Box": "Postfach privat", "Initials": "Initialen",
    "Internet Free Busy": "Internet-Frei/Gebucht", "Keywords": "Stichwörter",
    "Language": "Sprache", "Location": "Ort", "Manager's Name": "Name des/der Vorgesetzten",
    "Mileage": "Reisekilometer", "Notes": "Notizen", "Office Location": "Büro",
    "Organizational ID Number": "Organisations-Nr.", "Other Address PO Box": "Weiteres Postfach",
    "Priority": "Priorität", "Private": "Privat", "Profession": "Beruf",
    "Referred By": "Empfohlen von", "Sensitivity": "Vertraulichkeit", "Spouse": "Partner",
    "User 1": "Benutzer 1", "User 2": "Benutzer 2", "User 3": "Benutzer 3",
    "User 4": "Benutzer 4", "Web Page": "Webseite",
}  # fmt: skip

FRENCH = {
    "Title": "Titre", "First Name": "Prénom", "Middle Name": "Deuxième prénom",
    "Last Name": "Nom", "Suffix": "Suffixe", "Company": "Société", "Department": "Service",
    "Job Title": "Titre", "Business Street": "Rue (bureau)", "Business Street 2": "Rue (bureau) 2",
    "Business Street 3": "Rue (bureau) 3", "Business City": "Ville (bureau)",
    "Business State": "Dép/Région (bureau)", "Business Postal Code": "Code postal (bureau)",
    "Business Country/Region": "Pays/Région (bureau)", "Home Street": "Rue (domicile)",
    "Home Street 2": "Rue (domicile) 2", "Home Street 3": "Rue (domicile) 3",
    "Home City": "Ville (domicile)", "Home State": "Dép/Région (domicile)",
    "Home Postal Code": "Code postal (domicile)", "Home Country/Region": "Pays/Région (domicile)",
    "Other Street": "Rue (autre)", "Other Street 2": "Rue (autre) 2",
    "Other Street 3": "Rue (autre) 3", "Other City": "Ville (autre)",
    "Other State": "Dép/Région (autre)", "Other Postal Code": "Code postal (autre)",
    "Other Country/Region": "Pays/Région (autre)",
    "Assistant's Phone": "Téléphone de l'assistant(e)", "Business Fax": "Télécopie (bureau)",
    "Business Phone": "Téléphone (bureau)", "Business Phone 2": "Téléphone 2 (bureau)",
    "Callback": "Rappel", "Car Phone": "Téléphone (voiture)",
    "Company Main Phone": "Téléphone société", "Home Fax": "Télécopie (domicile)",
    "Home Phone": "Téléphone (domicile)", "Home Phone 2": "Téléphone 2 (domicile)",
    "ISDN": "RNIS", "Mobile Phone": "Tél. mobile", "Other Fax": "Télécopie (autre)",
    "Other Phone": "Téléphone (autre)", "Pager": "Récepteur de radiomessagerie",
    "Primary Phone": "Téléphone principal", "Radio Phone": "Radio téléphone",
    "TTY/TDD Phone": "Téléphone TDD/TTY", "Telex": "Télex", "Account": "Compte",
    "Anniversary": "Anniversaire de mariage ou fête", "Assistant's Name": "Nom de l'assistant(e)",
    "Billing Information": "Informations facturation", "Birthday": "Anniversaire",
    "Business Address PO Box": "B.P. professionnelle", "Categories": "Catégories",
    "Children": "Enfants", "E-mail Address": "Adresse de messagerie",
    "E-mail Type": "Type de messagerie",
    "E-mail Display Name": "Nom complet de l'adresse de messagerie",
    "E-mail 2 Address": "Adresse de messagerie 2", "E-mail 2 Type": "Type de messagerie 2",
    "E-mail 2 Display Name": "Nom complet de l'adresse de messagerie 2",
    "E-mail 3 Address": "Adresse de messagerie 3", "E-mail 3 Type": "Type de messagerie 3",
    "E-mail 3 Display Name": "Nom complet de l'adresse de messagerie 3", "Gender": "Sexe",
    "Government ID Number": "Code gouvernement", "Hobby": "Passe-temps",
    "Home Address PO Box": "Boîte postale du domicile", "Initials": "Initiales",
    "Internet Free Busy": "Disponibilité Internet", "Location": "Emplacement",
    "Manager's Name": "Responsable", "Mileage": "Kilométrage", "Notes": "Notes",
    "Office Location": "Bureau", "Other Address PO Box": "Autre boîte postale",
    "Priority": "Priorité", "Profession": "Profession", "Sensitivity": "Critère de diffusion",
    "Spouse": "Conjoint(e)", "User 1": "Utilisateur 1", "User 2": "Utilisateur 2",
    "User 3": "Utilisateur 3", "User 4": "Utilisateur 4", "Web Page": "Page Web",
}  # fmt: skip

SPANISH = {  # a Spanish Outlook leaves about a dozen columns in English
    "Title": "Title", "First Name": "Nombre", "Middle Name": "Segundo nombre",
    "Last Name": "Apellidos", "Suffix": "Suffix", "Company": "Organización",
    "Department": "Department", "Job Title": "Puesto", "Business Street": "Calle del trabajo",
    "Business Street 2": "Calle del trabajo 2", "Business Street 3": "Calle del trabajo 3",
    "Business City": "Ciudad de trabajo", "Business State": "Provincia o estado de trabajo",
    "Business Postal Code": "Código postal del trabajo",
    "Business Country/Region": "País o región del trabajo", "Home Street": "Home Street",
    "Home Street 2": "Home Street 2", "Home Street 3": "Home Street 3", "Home City": "Home City",
    "Home State": "Home State", "Home Postal Code": "Home Postal Code",
    "Home Country/Region": "País o región del domicilio", "Other Street": "Otra calle",
    "Other Street 2": "Otra calle 2", "Other Street 3": "Otra calle 3",
    "Other City": "Otra ciudad", "Other State": "Otra provincia o estado",
    "Other Postal Code": "Otro código postal", "Other Country/Region": "Otro país o región",
    "Assistant's Phone": "Assistant's Phone", "Business Fax": "Business Fax",
    "Business Phone": "Teléfono del trabajo", "Business Phone 2": "Business Phone 2",
    "Callback": "Devolución de llamada", "Car Phone": "Car Phone",
    "Company Main Phone": "Número de centralita de la organización", "Home Fax": "Home Fax",
    "Home Phone": "Particular", "Home Phone 2": "Home Phone 2", "ISDN": "ISDN",
    "Mobile Phone": "Mobile Phone", "Other Fax": "Otro fax", "Other Phone": "Otro teléfono",
    "Pager": "Pager", "Primary Phone": "Teléfono principal", "Radio Phone": "Radioteléfono",
    "TTY/TDD Phone": "Número de teletipo", "Telex": "Télex", "Account": "Account",
    "Anniversary": "Anniversary", "Assistant's Name": "Assistant's Name",
    "Billing Information": "Facturación", "Birthday": "Birthday",
    "Business Address PO Box": "Apartado postal de la dirección del trabajo",
    "Categories": "Categorías", "Children": "Hijos", "E-mail Address": "E-mail Address",
    "E-mail Type": "E-mail Type",
    "E-mail Display Name": "Nombre de pantalla de correo electrónico",
    "E-mail 2 Address": "Dirección de correo electrónico 2",
    "E-mail 2 Type": "Tipo de correo electrónico 2",
    "E-mail 2 Display Name": "Nombre de pantalla de correo electrónico 2",
    "E-mail 3 Address": "Dirección del correo electrónico 3",
    "E-mail 3 Type": "Tipo de correo electrónico 3",
    "E-mail 3 Display Name": "Nombre de pantalla de correo electrónico 3", "Gender": "Género",
    "Government ID Number": "Government ID Number", "Hobby": "Aficiones",
    "Home Address PO Box": "Apartado postal de la dirección personal", "Initials": "Initials",
    "Internet Free Busy": "Internet Free Busy", "Location": "Location",
    "Manager's Name": "Nombre del director", "Mileage": "Kilometraje", "Notes": "Notes",
    "Office Location": "Office Location", "Other Address PO Box": "Otro apartado postal",
    "Priority": "Prioridad", "Profession": "Profesión", "Sensitivity": "Confidencialidad",
    "Spouse": "Spouse", "User 1": "Usuario 1", "User 2": "Usuario 2", "User 3": "Usuario 3",
    "User 4": "Usuario 4", "Web Page": "Página web",
}  # fmt: skip

DUTCH = {
    "Title": "Titel", "First Name": "Voornaam", "Middle Name": "Middelste naam",
    "Last Name": "Achternaam", "Suffix": "Achtervoegsel", "Company": "Bedrijf",
    "Department": "Afdeling", "Job Title": "Functie", "Business Street": "Werkadres, straat",
    "Business Street 2": "Werkadres 2, straat", "Business Street 3": "Werkadres 3, straat",
    "Business City": "Werkadres, plaats", "Business State": "Werkadres, provincie",
    "Business Postal Code": "Werkadres, postcode", "Business Country/Region": "Land/regio (werk)",
    "Home Street": "Huisadres, straat", "Home Street 2": "Huisadres, straat 2",
    "Home Street 3": "Huisadres, straat 3", "Home City": "Huisadres, plaats",
    "Home State": "Huisadres, provincie", "Home Postal Code": "Huisadres, postcode",
    "Home Country/Region": "Land/regio (thuis)", "Other Street": "Ander adres, straat",
    "Other Street 2": "Ander adres, straat 2", "Other Street 3": "Ander adres, straat 3",
    "Other City": "Ander adres, plaats", "Other State": "Ander adres, provincie",
    "Other Postal Code": "Ander adres, postcode", "Other Country/Region": "Land/regio (anders)",
    "Assistant's Phone": "Telefoon assistent", "Business Fax": "Fax op werk",
    "Business Phone": "Telefoon op werk", "Business Phone 2": "Telefoon op werk 2",
    "Callback": "Terugbellen", "Car Phone": "Autotelefoon",
    "Company Main Phone": "Hoofdtelefoon bedrijf", "Home Fax": "Fax thuis",
    "Home Phone": "Telefoon thuis", "Home Phone 2": "Telefoon thuis 2", "ISDN": "ISDN",
    "Mobile Phone": "Mobiele telefoon", "Other Fax": "Andere fax", "Other Phone": "Andere telefoon",
    "Pager": "Pager", "Primary Phone": "Hoofdtelefoon", "Radio Phone": "Radiotelefoon",
    "TTY/TDD Phone": "Teksttelefoon", "Telex": "Telex", "Account": "Account",
    "Anniversary": "Speciale datum", "Assistant's Name": "Naam assistent",
    "Billing Information": "Factuurinformatie", "Birthday": "Verjaardag",
    "Business Address PO Box": "Werkadres, postbusnummer", "Categories": "Categorieën",
    "Children": "Kinderen", "Directory Server": "Adreslijstserver",
    "E-mail Address": "E-mailadres", "E-mail Type": "E-mailtype",
    "E-mail Display Name": "Weergavenaam voor e-mail", "E-mail 2 Address": "E-mailadres 2",
    "E-mail 2 Type": "E-mailtype 2", "E-mail 2 Display Name": "E-mail, weergegeven naam 2",
    "E-mail 3 Address": "E-mailadres 3", "E-mail 3 Type": "E-mailtype 3",
    "E-mail 3 Display Name": "E-mail, weergegeven naam 3", "Gender": "Geslacht",
    "Government ID Number": "Sofinummer", "Hobby": "Hobby's",
    "Home Address PO Box": "Huisadres, postbusnummer", "Initials": "Initialen",
    "Internet Free Busy": "Internet Beschikbaarheidsinfo", "Keywords": "Trefwoorden",
    "Language": "Taal", "Location": "Locatie", "Manager's Name": "Naam manager",
    "Mileage": "Reisafstand", "Notes": "Notities", "Office Location": "Kantoorlocatie",
    "Organizational ID Number": "Organisatie-id",
    "Other Address PO Box": "Ander adres, postbusnummer", "Priority": "Prioriteit",
    "Private": "Priv", "Profession": "Beroep", "Referred By": "Referentie van",
    "Sensitivity": "Gevoeligheid", "Spouse": "Partner", "User 1": "Gebruiker 1",
    "User 2": "Gebruiker 2", "User 3": "Gebruiker 3", "User 4": "Gebruiker 4",
    "Web Page": "Webpagina",
}  # fmt: skip

ITALIAN = {
    "Title": "Titolo", "First Name": "Nome", "Middle Name": "Secondo nome", "Last Name": "Cognome",
    "Suffix": "Titolo straniero", "Company": "Società", "Department": "Reparto",
    "Job Title": "Posizione", "Business Street": "Via (uff.)", "Business Street 2": "Via (uff.) 2",
    "Business Street 3": "Via (uff.) 3", "Business City": "Città (uff.)",
    "Business State": "Provincia (uff.)", "Business Postal Code": "CAP (uff.)",
    "Business Country/Region": "Paese (uff.)", "Home Street": "Via (ab.)",
    "Home Street 2": "Via (ab.) 2", "Home Street 3": "Via (ab.) 3", "Home City": "Città (ab.)",
    "Home State": "Provincia (ab.)", "Home Postal Code": "CAP (ab.)",
    "Home Country/Region": "Paese (ab.)", "Other Street": "Altra via",
    "Other Street 2": "Altra via 2", "Other Street 3": "Altra via 3", "Other City": "Altra città",
    "Other State": "Altra provincia", "Other Postal Code": "Altro CAP",
    "Other Country/Region": "Altro paese", "Assistant's Phone": "Telefono assistente",
    "Business Fax": "Fax (uff.)", "Business Phone": "Ufficio", "Business Phone 2": "Ufficio 2",
    "Callback": "Richiamata automatica", "Car Phone": "Telefono auto",
    "Company Main Phone": "Telefono principale società", "Home Fax": "Fax (ab.)",
    "Home Phone": "Abitazione", "Home Phone 2": "Abitazione 2", "ISDN": "ISDN",
    "Mobile Phone": "Cellulare", "Other Fax": "Altro fax", "Other Phone": "Altro telefono",
    "Pager": "Cercapersone", "Primary Phone": "Telefono principale",
    "Radio Phone": "Radiotelefono", "TTY/TDD Phone": "Telefono TTY/TDD", "Telex": "Telex",
    "Account": "Account", "Anniversary": "Anniversario", "Assistant's Name": "Nome assistente",
    "Billing Information": "Dati fatturazione", "Birthday": "Compleanno",
    "Business Address PO Box": "Indirizzo (uff.) - Casella postale", "Categories": "Categorie",
    "Children": "Figli", "E-mail Address": "Indirizzo posta elettronica",
    "E-mail Type": "Tipo posta elettronica",
    "E-mail Display Name": "Nome visualizzato posta elettronica",
    "E-mail 2 Address": "Indirizzo posta elettronica 2",
    "E-mail 2 Type": "Tipo posta elettronica 2",
    "E-mail 2 Display Name": "Nome visualizzato posta elettronica 2",
    "E-mail 3 Address": "Indirizzo posta elettronica 3",
    "E-mail 3 Type": "Tipo posta elettronica 3",
    "E-mail 3 Display Name": "Nome visualizzato posta elettronica 3", "Gender": "Sesso",
    "Government ID Number": "Cod. Fisc./P. IVA", "Hobby": "Hobby",
    "Home Address PO Box": "Indirizzo (ab.) - Casella postale", "Initials": "Iniziali",
    "Internet Free Busy": "Disponibilità Internet", "Location": "Luogo",
    "Manager's Name": "Nome manager", "Mileage": "Indennità trasferta", "Notes": "Notes",
    "Office Location": "Ubicazione ufficio",
    "Other Address PO Box": "Altro indirizzo - Casella postale", "Priority": "Priorità",
    "Profession": "Professione", "Sensitivity": "Riservatezza", "Spouse": "Nome coniuge",
    "User 1": "Utente 1", "User 2": "Utente 2", "User 3": "Utente 3", "User 4": "Utente 4",
    "Web Page": "Pagina Web",
}  # fmt: skip

PORTUGUESE_BR = {  # Outlook leaves Birthday, E-mail Address and a few more in English
    "Title": "Tratamento", "First Name": "Primeiro nome", "Middle Name": "Segundo nome",
    "Last Name": "Sobrenome", "Suffix": "Sufixo", "Company": "Empresa",
    "Department": "Departamento", "Job Title": "Cargo", "Business Street": "Business Street",
    "Business Street 2": "Rua do endereço comercial 2",
    "Business Street 3": "Rua do endereço comercial 3", "Business City": "Business City",
    "Business State": "Business State", "Business Postal Code": "Business Postal Code",
    "Business Country/Region": "País/Região da Empresa", "Home Street": "Endereço residencial",
    "Home Street 2": "Endereço residencial 2", "Home Street 3": "Endereço residencial 3",
    "Home City": "Cidade do endereço residencial", "Home State": "Estado",
    "Home Postal Code": "CEP do endereço residencial",
    "Home Country/Region": "País/Região de Residência", "Other Street": "Outro endereço",
    "Other Street 2": "Outro endereço 2", "Other Street 3": "Outro endereço 3",
    "Other City": "Cidade", "Other State": "Outro Estado", "Other Postal Code": "CEP",
    "Other Country/Region": "Outro País/Região", "Assistant's Phone": "Telefone do assistente",
    "Business Fax": "Fax comercial", "Business Phone": "Telefone comercial",
    "Business Phone 2": "Telefone comercial 2", "Callback": "Retorno de chamada",
    "Car Phone": "Telefone do carro", "Company Main Phone": "Telefone principal da empresa",
    "Home Fax": "Fax residencial", "Home Phone": "Telefone residencial",
    "Home Phone 2": "Telefone residencial 2", "ISDN": "ISDN", "Mobile Phone": "Telefone celular",
    "Other Fax": "Outro fax", "Other Phone": "Outro telefone", "Pager": "Pager",
    "Primary Phone": "Telefone principal", "Radio Phone": "Radiofone",
    "TTY/TDD Phone": "Telefone TTY/TDD", "Telex": "Telex", "Account": "Conta",
    "Anniversary": "Datas especiais", "Assistant's Name": "Nome do assistente",
    "Billing Information": "Informações para cobrança", "Birthday": "Birthday",
    "Business Address PO Box": "Caixa postal do endereço comercial",
    "Categories": "Categorias", "Children": "Filhos", "E-mail Address": "E-mail Address",
    "E-mail Type": "Tipo de email", "E-mail Display Name": "Nome para exibição do email",
    "E-mail 2 Address": "Endereço de email 2", "E-mail 2 Type": "Tipo de email 2",
    "E-mail 2 Display Name": "Nome para exibição do email 2",
    "E-mail 3 Address": "Endereço de email 3", "E-mail 3 Type": "Tipo de email 3",
    "E-mail 3 Display Name": "Nome para exibição do email 3", "Gender": "Sexo",
    "Government ID Number": "Código do governo", "Hobby": "Hobby",
    "Home Address PO Box": "Caixa postal do endereço residencial", "Initials": "Iniciais",
    "Internet Free Busy": "Disponibilidade da Internet", "Location": "Local",
    "Manager's Name": "Nome do gerenciador", "Mileage": "Quilometragem", "Notes": "Anotações",
    "Office Location": "Sala", "Other Address PO Box": "Caixa postal de outro endereço",
    "Priority": "Prioridade", "Profession": "Profissão", "Sensitivity": "Sensibilidade",
    "Spouse": "Spouse", "User 1": "Personalizado 1", "User 2": "Personalizado 2",
    "User 3": "Personalizado 3", "User 4": "Personalizado 4", "Web Page": "Página da Web",
}  # fmt: skip

JAPANESE = {
    "Title": "肩書き", "First Name": "名", "Middle Name": "ミドル ネーム", "Last Name": "姓",
    "Suffix": "敬称", "Company": "会社名", "Department": "部署", "Job Title": "役職",
    "Business Street": "番地 (会社)", "Business Street 2": "住所 2 (会社)",
    "Business Street 3": "住所 3 (会社)", "Business City": "市町村 (会社)",
    "Business State": "都道府県 (会社)", "Business Postal Code": "郵便番号 (会社)",
    "Business Country/Region": "国 (会社)/地域", "Home Street": "番地 (自宅)",
    "Home Street 2": "住所 2 (自宅)", "Home Street 3": "住所 3 (自宅)",
    "Home City": "市町村 (自宅)", "Home State": "都道府県 (自宅)",
    "Home Postal Code": "郵便番号 (自宅)", "Home Country/Region": "国 (自宅)/地域",
    "Other Street": "番地 (その他)", "Other Street 2": "住所 2 (その他)",
    "Other Street 3": "住所 3 (その他)", "Other City": "市町村 (その他)",
    "Other State": "都道府県 (その他)", "Other Postal Code": "郵便番号 (その他)",
    "Other Country/Region": "国 (その他)/地域", "Assistant's Phone": "秘書の電話",
    "Business Fax": "会社 FAX", "Business Phone": "会社電話", "Business Phone 2": "会社電話 2",
    "Callback": "コールバック", "Car Phone": "自動車電話", "Company Main Phone": "会社代表電話",
    "Home Fax": "自宅 FAX", "Home Phone": "自宅電話", "Home Phone 2": "自宅電話 2",
    "ISDN": "ISDN", "Mobile Phone": "携帯電話", "Other Fax": "その他の FAX",
    "Other Phone": "その他の電話", "Pager": "ポケットベル", "Primary Phone": "通常の電話",
    "Radio Phone": "無線電話", "TTY/TDD Phone": "TTY/TDD", "Telex": "テレックス",
    "Account": "アカウント", "Anniversary": "記念日", "Assistant's Name": "秘書の氏名",
    "Billing Information": "支払い条件", "Birthday": "誕生日",
    "Business Address PO Box": "会社住所私書箱", "Categories": "分類", "Children": "子供",
    "E-mail Address": "電子メール アドレス", "E-mail Type": "電子メールの種類",
    "E-mail Display Name": "電子メール表示名", "E-mail 2 Address": "電子メール 2 アドレス",
    "E-mail 2 Type": "電子メール 2 の種類", "E-mail 2 Display Name": "電子メール 2 表示名",
    "E-mail 3 Address": "電子メール 3 アドレス", "E-mail 3 Type": "電子メール 3 の種類",
    "E-mail 3 Display Name": "電子メール 3 表示名", "Gender": "性別",
    "Government ID Number": "ID 番号", "Hobby": "趣味", "Home Address PO Box": "自宅住所私書箱",
    "Initials": "イニシャル", "Internet Free Busy": "インターネット空き時間情報",
    "Location": "場所", "Manager's Name": "マネージャー", "Mileage": "経費情報", "Notes": "メモ",
    "Office Location": "事業所", "Other Address PO Box": "その他住所私書箱",
    "Priority": "優先度", "Profession": "職業", "Sensitivity": "秘密度", "Spouse": "配偶者",
    "User 1": "ユーザー 1", "User 2": "ユーザー 2", "User 3": "ユーザー 3",
    "User 4": "ユーザー 4", "Web Page": "Web ページ",
}  # fmt: skip

ENGLISH_NAMES = {name: name for name in ENGLISH}


def outlook_csv(
    path: Path, names: Mapping[str, str], people: Sequence[Mapping[str, str]], encoding: str
) -> Path:
    """An Outlook desktop export: `names` says what this Outlook calls each English column
    (absent: it writes no such column); `people` give cells by English column name."""
    columns = [english for english in ENGLISH if english in names]
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([names[english] for english in columns])
    for person in people:
        assert set(person) <= set(columns), set(person) - set(columns)
        writer.writerow([person.get(english, "") for english in columns])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def show(relcli: Relcli, contact: str) -> dict[str, Any]:
    shown: dict[str, Any] = json.loads(ok(relcli("contact", "show", contact, "-f", "json")).out)
    return shown


FIELDS = ("name", "company", "title", "emails", "phones", "birthday", "tags", "notes", "url")


def stored(relcli: Relcli, email: str) -> dict[str, Any]:
    contact = show(relcli, email)
    return {key: contact[key] for key in FIELDS}


@dataclass
class Locale:
    """One Outlook language: its header, two people as it writes them, what relcli stores."""

    id: str
    names: Mapping[str, str]
    encoding: str
    people: Sequence[Mapping[str, str]]
    expected: Mapping[str, Mapping[str, Any]]  # first e-mail -> FIELDS


LOCALES = [
    Locale(
        "German",
        GERMAN,
        "cp1252",
        [
            {
                "Title": "Dr.",
                "First Name": "Jürgen",
                "Middle Name": "Karl",
                "Last Name": "Müller",
                "Company": "Müller & Söhne GmbH",
                "Department": "Vertrieb",
                "Job Title": "Vertriebsleiter",
                "Business Street": "Königstraße 12",
                "Business City": "Stuttgart",
                "Business Postal Code": "70173",
                "Business Country/Region": "Deutschland",
                "Business Phone": "+49 711 1234567",
                "Home Phone": "+49 711 7654321",
                "Mobile Phone": "+49 170 1234567",
                "Anniversary": "01.06.2005",
                "Birthday": "22.03.1980",
                "Categories": "Schlüsselkunden;VIP",
                "E-mail Address": "juergen@mueller.example",
                "E-mail Type": "SMTP",
                "E-mail Display Name": "Jürgen Müller (juergen@mueller.example)",
                "E-mail 2 Address": "j.mueller@privat.example",
                "E-mail 2 Type": "SMTP",
                "Gender": "Männlich",
                "Notes": "Bevorzugt Anrufe am Vormittag.",
                "Priority": "Normal",
                "Private": "Aus",
                "Profession": "Ingenieur",
                "Sensitivity": "Normal",
                "Web Page": "https://www.mueller.example/",
            },
            {
                "Title": "Frau",
                "First Name": "Björk",
                "Last Name": "Weiß",
                "Mobile Phone": "0151 2345678",
                "Birthday": "0.0.00",
                "E-mail Address": "/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=bweiss",
                "E-mail Type": "EX",
                "E-mail 2 Address": "bjoerk@weiss.example",
                "E-mail 2 Type": "SMTP",
                "Gender": "Weiblich",
            },
        ],
        {
            "juergen@mueller.example": {
                "name": "Jürgen Karl Müller",
                "company": "Müller & Söhne GmbH",
                "title": "Vertriebsleiter",  # not 'Dr.' (Anrede), not 'Ingenieur' (Beruf)
                "emails": ["juergen@mueller.example", "j.mueller@privat.example"],
                "phones": ["+49 170 1234567", "+49 711 1234567", "+49 711 7654321"],
                "birthday": "1980-03-22",  # not the Jahrestag
                "tags": ["schlüsselkunden", "vip"],
                "notes": "Bevorzugt Anrufe am Vormittag.",
                "url": "https://www.mueller.example/",
            },
            "bjoerk@weiss.example": {
                "name": "Björk Weiß",
                "company": None,
                "title": None,  # not 'Frau'
                "emails": ["bjoerk@weiss.example"],  # not the Exchange name
                "phones": ["0151 2345678"],
                "birthday": None,
                "tags": [],
                "notes": None,
                "url": None,
            },
        },
    ),
    Locale(
        "French",  # 'Titre' twice: the salutation first, the job title after the company
        FRENCH,
        "cp1252",
        [
            {
                "Title": "M.",
                "First Name": "Benoît",
                "Middle Name": "Marie",
                "Last Name": "Lefèvre",
                "Company": "Boulangerie Lefèvre SARL",
                "Department": "Achats",
                "Job Title": "Directeur des achats",
                "Business Street": "12 rue de la Paix",
                "Business City": "Paris",
                "Business Phone": "01 42 68 53 00",
                "Home Phone": "01 45 67 89 10",
                "Mobile Phone": "06 12 34 56 78",
                "Anniversary": "12/07/2008",
                "Birthday": "04/03/1980",
                "Categories": "Clients clés;Fournisseurs",
                "E-mail Address": "benoit@lefevre.example",
                "E-mail Type": "SMTP",
                "E-mail Display Name": "Benoît Lefèvre (benoit@lefevre.example)",
                "Gender": "Masculin",
                "Notes": "Préfère être appelé le matin.",
                "Profession": "Boulanger",
                "Web Page": "www.lefevre.example",
            },
            {
                "Title": "Mme",
                "First Name": "Élodie",
                "Last Name": "Garçon",
                "Primary Phone": "01 23 45 67 89",
                "Birthday": "25/12/1975",
                "E-mail Address": "elodie@garcon.example",
            },
        ],
        {
            "benoit@lefevre.example": {
                "name": "Benoît Marie Lefèvre",
                "company": "Boulangerie Lefèvre SARL",
                "title": "Directeur des achats",  # the second 'Titre', not 'Profession'
                "emails": ["benoit@lefevre.example"],
                "phones": ["06 12 34 56 78", "01 42 68 53 00", "01 45 67 89 10"],
                "birthday": "1980-03-04",  # day-first
                "tags": ["clients-clés", "fournisseurs"],
                "notes": "Préfère être appelé le matin.",
                "url": "www.lefevre.example",
            },
            "elodie@garcon.example": {
                "name": "Élodie Garçon",
                "company": None,
                "title": None,  # not 'Mme'
                "emails": ["elodie@garcon.example"],
                "phones": ["01 23 45 67 89"],
                "birthday": "1975-12-25",
                "tags": [],
                "notes": None,
                "url": None,
            },
        },
    ),
    Locale(
        "Spanish",
        SPANISH,
        "cp1252",
        [
            {
                "Title": "Sr.",
                "First Name": "José",
                "Middle Name": "Luis",
                "Last Name": "Núñez García",
                "Company": "Construcciones Núñez S.L.",
                "Department": "Ventas",
                "Job Title": "Jefe de compras",
                "Business Phone": "+34 91 123 45 67",
                "Home Phone": "+34 91 765 43 21",
                "Mobile Phone": "+34 612 345 678",
                "Anniversary": "15/05/2010",
                "Birthday": "04/03/1980",
                "Categories": "Clientes;Proveedores",
                "E-mail Address": "jose@nunez.example",
                "E-mail 2 Address": "jl.nunez@correo.example",
                "E-mail Display Name": "José Núñez (jose@nunez.example)",
                "Notes": "Llamar por la tarde.",
                "Profession": "Arquitecto",
                "Web Page": "https://nunez.example",
            },
            {
                "Title": "Sra.",
                "First Name": "Begoña",
                "Last Name": "Ibáñez",
                "Birthday": "0/0/00",
                "E-mail Address": "begona@ibanez.example",
            },
        ],
        {
            "jose@nunez.example": {
                "name": "José Luis Núñez García",
                "company": "Construcciones Núñez S.L.",
                "title": "Jefe de compras",
                "emails": ["jose@nunez.example", "jl.nunez@correo.example"],
                "phones": ["+34 612 345 678", "+34 91 123 45 67", "+34 91 765 43 21"],
                "birthday": "1980-03-04",
                "tags": ["clientes", "proveedores"],
                "notes": "Llamar por la tarde.",
                "url": "https://nunez.example",
            },
            "begona@ibanez.example": {
                "name": "Begoña Ibáñez",
                "company": None,
                "title": None,
                "emails": ["begona@ibanez.example"],
                "phones": [],
                "birthday": None,
                "tags": [],
                "notes": None,
                "url": None,
            },
        },
    ),
    Locale(
        "Dutch",  # dates with dashes, day-first: 4-3-1980
        DUTCH,
        "cp1252",
        [
            {
                "Title": "Dhr.",
                "First Name": "Jan",
                "Middle Name": "Pieter",
                "Last Name": "de Vries",
                "Company": "De Vries & Zonen B.V.",
                "Department": "Inkoop",
                "Job Title": "Hoofd inkoop",
                "Business Street": "Damrak 1",
                "Business City": "Amsterdam",
                "Business Phone": "+31 20 123 4567",
                "Home Phone": "+31 20 765 4321",
                "Mobile Phone": "+31 6 12345678",
                "Anniversary": "1-6-2005",
                "Birthday": "4-3-1980",
                "Categories": "Klanten;Leveranciers",
                "E-mail Address": "jan@devries.example",
                "E-mail Type": "SMTP",
                "E-mail Display Name": "Jan de Vries (jan@devries.example)",
                "Gender": "Man",
                "Notes": "Liever 's ochtends bellen.",
                "Private": "Onwaar",
                "Profession": "Ingenieur",
                "Web Page": "https://devries.example",
            },
            {
                "Title": "Mevr.",
                "First Name": "Anouk",
                "Last Name": "Jansen",
                "Birthday": "0-0-00",
                "E-mail Address": "anouk@jansen.example",
                "Other Phone": "+31 30 111 2222",
            },
        ],
        {
            "jan@devries.example": {
                "name": "Jan Pieter de Vries",
                "company": "De Vries & Zonen B.V.",
                "title": "Hoofd inkoop",
                "emails": ["jan@devries.example"],
                "phones": ["+31 6 12345678", "+31 20 123 4567", "+31 20 765 4321"],
                "birthday": "1980-03-04",
                "tags": ["klanten", "leveranciers"],
                "notes": "Liever 's ochtends bellen.",
                "url": "https://devries.example",
            },
            "anouk@jansen.example": {
                "name": "Anouk Jansen",
                "company": None,
                "title": None,
                "emails": ["anouk@jansen.example"],
                "phones": ["+31 30 111 2222"],
                "birthday": None,
                "tags": [],
                "notes": None,
                "url": None,
            },
        },
    ),
    Locale(
        "Italian",
        ITALIAN,
        "cp1252",
        [
            {
                "Title": "Dott.",
                "First Name": "Giulia",
                "Middle Name": "Maria",
                "Last Name": "Rossi",
                "Company": "Rossi & Figli S.p.A.",
                "Department": "Acquisti",
                "Job Title": "Responsabile acquisti",
                "Business Phone": "+39 02 1234567",
                "Home Phone": "+39 02 7654321",
                "Mobile Phone": "+39 333 1234567",
                "Anniversary": "10/09/2012",
                "Birthday": "04/03/1980",
                "Categories": "Clienti;Fornitori",
                "E-mail Address": "giulia@rossi.example",
                "Notes": "Preferisce essere chiamata al mattino.",
                "Profession": "Ingegnere",
                "Web Page": "https://rossi.example",
            },
            {
                "Title": "Sig.",
                "First Name": "Luca",
                "Last Name": "Bianchi",
                "Birthday": "0/0/00",
                "E-mail Address": "luca@bianchi.example",
                "Car Phone": "+39 348 7654321",
            },
        ],
        {
            "giulia@rossi.example": {
                "name": "Giulia Maria Rossi",
                "company": "Rossi & Figli S.p.A.",
                "title": "Responsabile acquisti",  # not 'Dott.' (Titolo), not 'Professione'
                "emails": ["giulia@rossi.example"],
                "phones": ["+39 333 1234567", "+39 02 1234567", "+39 02 7654321"],
                "birthday": "1980-03-04",
                "tags": ["clienti", "fornitori"],
                "notes": "Preferisce essere chiamata al mattino.",
                "url": "https://rossi.example",
            },
            "luca@bianchi.example": {
                "name": "Luca Bianchi",
                "company": None,
                "title": None,
                "emails": ["luca@bianchi.example"],
                "phones": ["+39 348 7654321"],
                "birthday": None,
                "tags": [],
                "notes": None,
                "url": None,
            },
        },
    ),
    Locale(
        "Portuguese (Brazil)",
        PORTUGUESE_BR,
        "cp1252",
        [
            {
                "Title": "Sr.",
                "First Name": "João",
                "Middle Name": "Carlos",
                "Last Name": "Conceição",
                "Company": "Conceição Comércio Ltda.",
                "Department": "Compras",
                "Job Title": "Gerente de compras",
                "Business Phone": "+55 11 3123-4567",
                "Home Phone": "+55 11 3765-4321",
                "Mobile Phone": "+55 11 91234-5678",
                "Anniversary": "15/06/2008",
                "Birthday": "04/03/1980",
                "Categories": "Clientes;Fornecedores",
                "E-mail Address": "joao@conceicao.example",
                "Notes": "Prefere ligações pela manhã.",
                "Profession": "Engenheiro",
                "Web Page": "https://conceicao.example",
            },
            {
                "Title": "Sra.",
                "First Name": "Ana",
                "Last Name": "Araújo",
                "E-mail Address": "ana@araujo.example",
                "Home Phone 2": "+55 21 2222-3333",
            },
        ],
        {
            "joao@conceicao.example": {
                "name": "João Carlos Conceição",
                "company": "Conceição Comércio Ltda.",
                "title": "Gerente de compras",  # not 'Sr.' (Tratamento), not 'Profissão'
                "emails": ["joao@conceicao.example"],
                "phones": ["+55 11 91234-5678", "+55 11 3123-4567", "+55 11 3765-4321"],
                "birthday": "1980-03-04",
                "tags": ["clientes", "fornecedores"],
                "notes": "Prefere ligações pela manhã.",
                "url": "https://conceicao.example",
            },
            "ana@araujo.example": {
                "name": "Ana Araújo",
                "company": None,
                "title": None,
                "emails": ["ana@araujo.example"],
                "phones": ["+55 21 2222-3333"],
                "birthday": None,
                "tags": [],
                "notes": None,
                "url": None,
            },
        },
    ),
    Locale(
        "Japanese",  # Shift_JIS; the family name comes first
        JAPANESE,
        "shift_jis",
        [
            {
                "Title": "Dr.",
                "First Name": "太郎",
                "Last Name": "山田",
                "Company": "山田商事株式会社",
                "Department": "営業部",
                "Job Title": "営業部長",
                "Business Phone": "03-1234-5678",
                "Home Phone": "03-8765-4321",
                "Mobile Phone": "090-1234-5678",
                "Anniversary": "2005/06/01",
                "Birthday": "1980/03/04",
                "Categories": "顧客;重要",
                "E-mail Address": "taro@yamada.example",
                "Notes": "午前中の連絡を希望。",
                "Profession": "エンジニア",
                "Web Page": "https://yamada.example",
            },
            {
                "First Name": "花子",
                "Last Name": "佐藤",
                "E-mail Address": "hanako@sato.example",
                "Pager": "020-123-4567",
            },
        ],
        {
            "taro@yamada.example": {
                "name": "山田 太郎",
                "company": "山田商事株式会社",
                "title": "営業部長",  # not 'Dr.' (肩書き), not 職業
                "emails": ["taro@yamada.example"],
                "phones": ["090-1234-5678", "03-1234-5678", "03-8765-4321"],
                "birthday": "1980-03-04",
                "tags": ["重要", "顧客"],  # sorted
                "notes": "午前中の連絡を希望。",
                "url": "https://yamada.example",
            },
            "hanako@sato.example": {
                "name": "佐藤 花子",
                "company": None,
                "title": None,
                "emails": ["hanako@sato.example"],
                "phones": ["020-123-4567"],
                "birthday": None,
                "tags": [],
                "notes": None,
                "url": None,
            },
        },
    ),
]


@pytest.mark.parametrize("locale", LOCALES, ids=[locale.id for locale in LOCALES])
def test_a_localised_outlook_export_is_read_as_the_english_one(
    relcli: Relcli, tmp_path: Path, locale: Locale
) -> None:
    path = outlook_csv(tmp_path / "contacts.csv", locale.names, locale.people, locale.encoding)
    assert len(path.read_bytes().split(b"\r\n", 1)[0].split(b'","')) >= 86  # the full header
    run = ok(relcli("import", "outlook", str(path)))
    assert run.err.startswith("added 2, merged 0, unchanged 0, skipped 0")
    for email, expected in locale.expected.items():
        assert stored(relcli, email) == expected


def test_a_cp1252_german_export_keeps_its_umlauts_in_header_and_values(
    relcli: Relcli, tmp_path: Path
) -> None:
    german = LOCALES[0]
    path = outlook_csv(tmp_path / "kontakte.csv", german.names, german.people, "cp1252")
    raw = path.read_bytes()
    assert "Straße geschäftlich".encode("cp1252") in raw  # cp1252 bytes, not UTF-8
    assert "Müller".encode() not in raw
    ok(relcli("import", "outlook", str(path)))
    jürgen = show(relcli, "juergen@mueller.example")
    assert (jürgen["name"], jürgen["company"]) == ("Jürgen Karl Müller", "Müller & Söhne GmbH")
    assert show(relcli, "bjoerk@weiss.example")["name"] == "Björk Weiß"


def test_an_english_export_still_reads_slashed_dates_month_first(
    relcli: Relcli, tmp_path: Path
) -> None:
    person = {
        "Title": "Dr.", "First Name": "Ann", "Middle Name": "B.", "Last Name": "Lee",
        "Company": "Lee & Co", "Job Title": "Partner", "Business Phone": "555-0100",
        "Mobile Phone": "555-0199", "Anniversary": "6/1/2005", "Birthday": "04/03/1980",
        "Categories": "Key Accounts;VIP", "E-mail Address": "ann@lee.example",
        "E-mail Display Name": "Ann Lee (ann@lee.example)", "Notes": "Call after 10.",
        "Profession": "Lawyer", "Web Page": "https://lee.example",
    }  # fmt: skip
    path = outlook_csv(tmp_path / "contacts.csv", ENGLISH_NAMES, [person], "cp1252")
    ok(relcli("import", "outlook", str(path)))
    assert stored(relcli, "ann@lee.example") == {
        "name": "Ann B. Lee",
        "company": "Lee & Co",
        "title": "Partner",
        "emails": ["ann@lee.example"],
        "phones": ["555-0199", "555-0100"],
        "birthday": "1980-04-03",  # April 3: month-first, as before
        "tags": ["key-accounts", "vip"],
        "notes": "Call after 10.",
        "url": "https://lee.example",
    }


def test_a_header_mixing_two_languages_still_reads(relcli: Relcli, tmp_path: Path) -> None:
    # German with French columns pasted in: German has more of the header, so dates are read
    # day-first; the single 'Titre' after the name columns is the job title.
    names = {
        "Title": "Anrede", "First Name": "Vorname", "Last Name": "Nachname",
        "Company": "Société", "Job Title": "Titre", "Business Phone": "Téléphone (bureau)",
        "Mobile Phone": "Mobiltelefon", "Birthday": "Geburtstag", "Categories": "Catégories",
        "E-mail Address": "E-Mail-Adresse", "E-mail 2 Address": "Adresse de messagerie 2",
        "Notes": "Notizen",
    }  # fmt: skip
    person = {
        "Title": "Herr", "First Name": "Lukas", "Last Name": "Meier", "Company": "Meier SA",
        "Job Title": "Einkaufsleiter", "Business Phone": "+41 22 123 45 67",
        "Mobile Phone": "+41 79 123 45 67", "Birthday": "04/03/1980", "Categories": "Kunden",
        "E-mail Address": "lukas@meier.example", "E-mail 2 Address": "lukas@meier-sa.example",
        "Notes": "Zweisprachig.",
    }  # fmt: skip
    path = outlook_csv(tmp_path / "gemischt.csv", names, [person], "cp1252")
    ok(relcli("import", "outlook", str(path)))
    assert stored(relcli, "lukas@meier.example") == {
        "name": "Lukas Meier",
        "company": "Meier SA",
        "title": "Einkaufsleiter",
        "emails": ["lukas@meier.example", "lukas@meier-sa.example"],
        "phones": ["+41 79 123 45 67", "+41 22 123 45 67"],
        "birthday": "1980-03-04",
        "tags": ["kunden"],
        "notes": "Zweisprachig.",
        "url": None,
    }


def test_a_lone_titre_before_the_names_is_the_salutation(relcli: Relcli, tmp_path: Path) -> None:
    names = {"Title": "Titre", "First Name": "Prénom", "Last Name": "Nom",
             "E-mail Address": "Adresse de messagerie"}  # fmt: skip
    person = {"Title": "Mme", "First Name": "Chloé", "Last Name": "Roux",
              "E-mail Address": "chloe@roux.example"}  # fmt: skip
    path = outlook_csv(tmp_path / "contacts.csv", names, [person], "cp1252")
    ok(relcli("import", "outlook", str(path)))
    chloé = show(relcli, "chloe@roux.example")
    assert (chloé["name"], chloé["title"]) == ("Chloé Roux", None)


PORTUGAL = {  # Aniversário is the wedding anniversary, Data de nascimento the birthday
    "First Name": "Primeiro nome", "Last Name": "Apelido", "Mobile Phone": "Telemóvel",
    "E-mail Address": "Endereço de correio electrónico", "Anniversary": "Aniversário",
    "Birthday": "Data de nascimento",
}  # fmt: skip
BRAZIL = {  # Roundcube's names: Aniversário is the birthday
    "First Name": "Primeiro nome", "Last Name": "Sobrenome", "Mobile Phone": "Celular",
    "E-mail Address": "Endereço de E-mail", "Birthday": "Aniversário",
}  # fmt: skip


@pytest.mark.parametrize("names", [PORTUGAL, BRAZIL], ids=["pt-PT", "pt-BR"])
def test_aniversario_is_read_as_the_file_s_portuguese_means_it(
    relcli: Relcli, tmp_path: Path, names: dict[str, str]
) -> None:
    person = {"First Name": "Inês", "Last Name": "Simões", "Mobile Phone": "912 345 678",
              "E-mail Address": "ines@simoes.example", "Birthday": "04/03/1980"}  # fmt: skip
    if "Anniversary" in names:
        person["Anniversary"] = "15/06/2008"
    path = outlook_csv(tmp_path / "contactos.csv", names, [person], "cp1252")
    ok(relcli("import", "outlook", str(path)))
    inês = show(relcli, "ines@simoes.example")
    assert (inês["name"], inês["phones"], inês["birthday"]) == (
        "Inês Simões",
        ["912 345 678"],
        "1980-03-04",  # day-first; in Portugal not the anniversary
    )


POLISH = {
    "Title": "Tytuł", "First Name": "Imię", "Last Name": "Nazwisko", "Company": "Firma",
    "Job Title": "Stanowisko", "Mobile Phone": "Telefon komórkowy", "Birthday": "Urodziny",
    "E-mail Address": "Adres e-mail",
}  # fmt: skip
ŁUKASZ = {
    "Title": "Pan", "First Name": "Łukasz", "Last Name": "Wójcik", "Company": "Żabka Polska",
    "Job Title": "Kierownik zakupów", "Mobile Phone": "600 100 200", "Birthday": "04.03.1980",
    "E-mail Address": "lukasz@wojcik.example",
}  # fmt: skip


def test_an_export_in_a_code_page_relcli_cannot_tell_is_refused_not_garbled(
    relcli: Relcli, tmp_path: Path, isolated: Path
) -> None:
    # A Polish Outlook writes Windows-1250; undeclared, it reads as cp1252 ('Łukasz' as
    # '£ukasz'), and half the header would still match.
    path = outlook_csv(tmp_path / "kontakty.csv", POLISH, [ŁUKASZ], "cp1250")
    run = relcli("import", "outlook", str(path))
    assert run.code == 65
    assert "the header is Polish, which Outlook writes in cp1250, but the file was read as " in (
        run.err
    )
    assert "save it as CSV UTF-8" in run.err
    assert not (isolated / "relcli.db").exists()


def test_the_same_export_saved_as_csv_utf8_is_read(relcli: Relcli, tmp_path: Path) -> None:
    path = outlook_csv(tmp_path / "kontakty.csv", POLISH, [ŁUKASZ], "utf-8-sig")  # Excel's BOM
    ok(relcli("import", "outlook", str(path)))
    assert stored(relcli, "lukasz@wojcik.example") == {
        "name": "Łukasz Wójcik",
        "company": "Żabka Polska",
        "title": "Kierownik zakupów",  # not 'Pan'
        "emails": ["lukasz@wojcik.example"],
        "phones": ["600 100 200"],
        "birthday": "1980-03-04",
        "tags": [],
        "notes": None,
        "url": None,
    }
